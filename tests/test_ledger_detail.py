"""A data set's page on the sample organization: the items once, and the entrustment chain that the
vendors app adds to it (a detail panel registered with the platform)."""

from __future__ import annotations

import re

from mamori.ledger.models import DataAsset


def test_data_set_page_lists_items_once_and_shows_the_vendors_panel(demo):
    asset = DataAsset.objects.filter(organization=demo.org, entrustments__isnull=False).distinct().first()
    html = demo.client().get(f"/ledger/{asset.uuid}/").content.decode()
    assert len(re.findall(r"<th>\s*項目\s*</th>", html)) == 1
    assert "要配慮個人情報の区分" not in html
    assert "委託と再委託" in html  # the vendors' panel
    vendor = asset.entrustments.select_related("vendor").first().vendor
    assert vendor.name in html
