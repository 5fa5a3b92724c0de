"""The vendors' dashboard cards and detail panels (registered in :mod:`mamori.vendors.apps`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.scoping import scoped
from mamori.vendors.actions import chain_for_asset
from mamori.vendors.models import Certification, Contract, Entrustment, Tier, Vendor


def stats(request) -> dict:
    tiers = dict(scoped(request, Vendor).values_list("inherent_tier").annotate(n=Count("id")).order_by())
    return {
        "vendor_count": sum(tiers.values()),
        "tiers": [(label, tiers.get(code, 0), code) for code, label in Tier.choices],
        "unapproved": scoped(request, Entrustment).filter(parent__isnull=False, approved=False).count(),
    }


def getting_started(request) -> dict:
    return {
        "asset_count": scoped(request, DataAsset).count(),
        "vendor_count": scoped(request, Vendor).count(),
    }


def attention(request) -> dict:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=60)
    return {
        "expiring_certs": scoped(request, Certification)
        .filter(expires_on__lte=soon)
        .select_related("vendor")
        .order_by("expires_on")[:20],
        "expiring_contracts": scoped(request, Contract)
        .filter(ends_on__gte=today, ends_on__lte=soon)
        .select_related("vendor")
        .order_by("ends_on")[:20],
        "attention": scoped(request, Vendor)
        .filter(inherent_tier="high")
        .order_by("-tier_points", "name")[:10],
    }


def asset_chain(request, asset) -> dict:
    """On a data set's page: who it is entrusted to, and re-subcontracted on to."""
    return {"chain": chain_for_asset(asset)}
