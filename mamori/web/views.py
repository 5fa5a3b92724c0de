from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.accounts import actions
from mamori.accounts.forms import SetupForm
from mamori.accounts.models import User
from mamori.demo import sample_message, seed_demo
from mamori.tenancy.middleware import SESSION_KEY
from mamori.tenancy.models import Membership, Perm
from mamori.tenancy.scoping import org_view, scoped
from mamori.trail import present
from mamori.trail.models import TrailEntry


def setup_view(request):
    """First run: create the organization and its owner. Gone once any user exists."""
    if User.objects.exists():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if User.objects.exists():
                raise Http404
            _org, user = actions.create_owner(
                org_name=data["organization"],
                name=data["name"],
                email=data["email"],
                password=data["password1"],
                via="web",
            )
            # 「サンプルデータで試す」: a separate sample organization beside the real one, shown first.
            sample = seed_demo(today=timezone.localdate(), owner=user) if "sample" in request.POST else None
        login(request, user, backend="mamori.accounts.backends.EmailBackend")
        if sample is not None:
            request.session[SESSION_KEY] = sample.id
            messages.success(request, sample_message(sample))
        else:
            messages.success(request, _("Mamori is ready. Welcome!"))
        return redirect("web:dashboard")
    return render(request, "web/setup.html", {"form": form})


@org_view(Perm.VIEW)
def dashboard_view(request):
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from mamori.incidents.models import Incident
    from mamori.ledger.models import DataAsset
    from mamori.vendors.models import Certification, Contract, Entrustment, Tier, Vendor

    membership = request.membership
    today = timezone.localdate()
    soon = today + dt.timedelta(days=60)
    tiers = dict(scoped(request, Vendor).values_list("inherent_tier").annotate(n=Count("id")).order_by())
    context = {
        "member_count": scoped(request, Membership).count(),
        "asset_count": scoped(request, DataAsset).count(),
        "special_care_assets": scoped(request, DataAsset).filter(has_special_care=True).count(),
        "vendor_count": sum(tiers.values()),
        "tiers": [(label, tiers.get(code, 0), code) for code, label in Tier.choices],
        "unapproved": scoped(request, Entrustment).filter(parent__isnull=False, approved=False).count(),
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
        "today": today,
        "open_incidents": scoped(request, Incident)
        .filter(state="open")
        .order_by("final_due", "aware_on")[:10],
        "recent": present.rows(
            scoped(request, TrailEntry).select_related("actor").order_by("-seq")[:10], request.org
        )
        if membership.allows(Perm.TRAIL)
        else None,
    }
    return render(request, "web/dashboard.html", context)


@login_required
def no_organization_view(request):
    if request.membership is not None:
        return redirect("web:dashboard")
    return render(request, "web/no_organization.html")
