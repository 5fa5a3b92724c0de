"""The vendors' and entrustments' fields, declared once for the list pages, the exports and the
imports (:mod:`mamori.platform.web.columns`). The file headers are fixed Japanese: people keep
exported files and fill in import templates with them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from mamori.platform.fields import ITEM_NAMES as ITEM_LABELS
from mamori.platform.fields import SPECIAL_CARE_NAMES as SPECIAL_CARE_LABELS
from mamori.platform.web.columns import Field, FieldSet
from mamori.vendors.forms import EntrustmentForm, VendorForm
from mamori.vendors.models import Entrustment, Vendor


def entrustment_items(e) -> str:
    return "、".join(
        [ITEM_LABELS.get(i, i) for i in e.items or []]
        + [SPECIAL_CARE_LABELS.get(c, c) for c in e.special_care or []]
    )


VENDOR = FieldSet(
    Vendor,
    VendorForm,
    [
        Field("name", "名称", sort="name", link=True, example="株式会社サンプル配送"),
        Field("corporate_number", "法人番号", example="7000012050002"),
        Field("address", "所在地", example="東京都千代田区霞が関3-1-1"),
        Field("services", "提供サービス", example="発送代行"),
        Field("status", "状態", sort="status", example="契約中"),
        Field("inherent_tier", "固有リスク", sort="-tier_points"),
        Field("tier_explanation", "固有リスクの理由"),
        Field("notes", "メモ"),
        Field("tags", "タグ", example="物流"),
    ],
)

ENTRUSTMENT = FieldSet(
    Entrustment,
    EntrustmentForm,
    [
        Field("data_asset", "データセット", sort="data_asset__name", link=True, example="会員名簿"),
        Field("vendor", "委託先", sort="vendor__name", example="株式会社サンプル配送"),
        Field(
            "parent",
            "再委託元",
            import_header="再委託元（委託先名）",  # the import names the vendor passed on from
            label=gettext_lazy("Passed on from"),
            value=lambda o: o.parent.vendor.name if o.parent_id else "",
        ),
        Field("items", "項目", label=gettext_lazy("Items"), value=entrustment_items, example="氏名、住所"),
        Field("special_care", "要配慮個人情報", export=False),  # exported within 項目
        Field("individuals", "本人の数", label=gettext_lazy("People"), sort="individuals", example="12000"),
        Field("purpose", "目的", example="商品の発送"),
        Field("access_method", "取扱方法", label=gettext_lazy("Access"), example="複製を受け取る"),
        Field("starts_on", "開始", import_header="開始日", example="2026-04-01"),
        Field("ends_on", "終了", import_header="終了日"),
        Field("end_handling", "終了時の措置"),
        Field("approved", "再委託の承認"),
        Field("approved_on", "承認日", export=False),
        Field("created_at", label=gettext_lazy("Created"), sort="-created_at"),
    ],
)
