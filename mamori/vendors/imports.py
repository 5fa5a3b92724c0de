"""The vendors' and entrustments' Excel/CSV imports (registered in :mod:`mamori.vendors.apps`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.scoping import scoped
from mamori.platform.web.imports import (
    Col,
    ImportSpec,
    choice,
    date,
    labelled_list,
    to_bool,
)
from mamori.vendors.forms import EntrustmentForm, VendorForm
from mamori.vendors.models import AccessMethod, EndHandling, Entrustment, Vendor, VendorStatus


class Lookups:
    def __init__(self, request):
        self.request = request
        self.vendors = {v.name: str(v.uuid) for v in scoped(request, Vendor).only("name", "uuid")}
        self.vendors.update(
            {v.corporate_number: str(v.uuid) for v in scoped(request, Vendor).exclude(corporate_number="")}
        )
        self.assets = {a.name: str(a.uuid) for a in scoped(request, DataAsset).only("name", "uuid")}


def vendor_ref(value, ctx: Lookups):
    if not value:
        return ""
    if value not in ctx.vendors:
        found = scoped(ctx.request, Vendor).filter(name=value).first()
        if found is None:
            raise ValueError(_("no vendor named '%(v)s'; import the vendors first") % {"v": value})
        ctx.vendors[value] = str(found.uuid)
    return ctx.vendors[value]


def asset_ref(value, ctx: Lookups):
    if value not in ctx.assets:
        raise ValueError(_("no data set named '%(v)s'; import the data sets first") % {"v": value})
    return ctx.assets[value]


def resolve_parent(data: dict, ctx: Lookups) -> dict:
    """The re-subcontract's parent: the entrustment of the same data set to the named vendor."""
    name = data.get("parent")
    if not name:
        data["parent"] = ""
        return data
    parent = (
        scoped(ctx.request, Entrustment)
        .filter(data_asset__uuid=data.get("data_asset"), vendor__name=name)
        .order_by("created_at")
        .first()
    )
    if parent is None:
        raise ValueError(_("no entrustment of this data set to '%(v)s' to re-subcontract from") % {"v": name})
    data["parent"] = str(parent.uuid)
    return data


VENDORS = ImportSpec(
    name="vendors",
    label="委託先",
    form_class=VendorForm,
    context=Lookups,
    columns=[
        Col("名称", "name", required=True),
        Col("法人番号", "corporate_number"),
        Col("所在地", "address"),
        Col("提供サービス", "services"),
        Col("状態", "status", choice(VendorStatus.choices)),
        Col("メモ", "notes"),
        Col("タグ", "tags"),
    ],
    example=[
        "株式会社サンプル配送",
        "7000012050002",
        "東京都千代田区霞が関3-1-1",
        "発送代行",
        "契約中",
        "",
        "物流",
    ],
)


ENTRUSTMENTS = ImportSpec(
    name="entrustments",
    label="委託",
    form_class=EntrustmentForm,
    context=Lookups,
    columns=[
        Col("データセット", "data_asset", asset_ref, required=True),
        Col("委託先", "vendor", vendor_ref, required=True),
        Col("再委託元（委託先名）", "parent"),
        Col("項目", "items", labelled_list(ITEM_LABELS)),
        Col("要配慮個人情報", "special_care", labelled_list(SPECIAL_CARE_LABELS)),
        Col("本人の数", "individuals"),
        Col("目的", "purpose"),
        Col("取扱方法", "access_method", choice(AccessMethod.choices)),
        Col("開始日", "starts_on", date),
        Col("終了日", "ends_on", date),
        Col("終了時の措置", "end_handling", choice(EndHandling.choices)),
        Col("再委託の承認", "approved", to_bool),
        Col("承認日", "approved_on", date),
    ],
    example=[
        "会員名簿",
        "株式会社サンプル配送",
        "",
        "氏名、住所",
        "",
        "12000",
        "商品の発送",
        "複製を受け取る",
        "2026-04-01",
        "",
        "",
        "",
        "",
    ],
    finish=lambda data, ctx: resolve_parent(data, ctx),
)
