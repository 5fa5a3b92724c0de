"""The data sets' fields, declared once for the ledger's list page, its export and its import
(:mod:`mamori.platform.web.columns`). The file headers are fixed Japanese: people keep exported
files and fill in import templates with them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from mamori.ledger.forms import DataAssetForm
from mamori.ledger.models import DataAsset
from mamori.platform.fields import ITEM_NAMES as ITEM_LABELS
from mamori.platform.fields import SPECIAL_CARE_NAMES as SPECIAL_CARE_LABELS
from mamori.platform.web.columns import Field, FieldSet


def item_labels(obj) -> str:
    labels = [ITEM_LABELS.get(i, i) for i in obj.items or []]
    labels += [SPECIAL_CARE_LABELS.get(c, c) for c in obj.special_care or []]
    if obj.other_items:
        labels.append(obj.other_items)
    return "、".join(labels)


def flag_labels(obj) -> str:
    out = []
    if obj.has_special_care:
        out.append("要配慮")
    if obj.has_my_number:
        out.append("特定個人情報")
    if obj.has_financial:
        out.append("財産的被害")
    return "・".join(out)


DATA_ASSET = FieldSet(
    DataAsset,
    DataAssetForm,
    [
        Field("name", "名称", sort="name", link=True, example="会員名簿"),
        Field("description", "説明", example="ECサイトの会員情報"),
        Field(
            "department", "管理部署", label=gettext_lazy("Department"), sort="department", example="営業部"
        ),
        # Exported as one column (items, special-care categories and other items); imported as three.
        Field("items", "項目", value=item_labels, example="氏名、住所、電話番号、メールアドレス"),
        Field("special_care", "要配慮個人情報", export=False),
        Field("other_items", "その他の項目", export=False),
        Field("individuals", "本人の数", label=gettext_lazy("People"), sort="individuals", example="12000"),
        Field("individuals_estimated", "推計"),
        Field("purposes", "利用目的", example="商品の発送、お知らせの送付"),
        Field("disclosure", "利用目的の通知・公表", example="公表済み"),
        Field("storage_kind", "保管形態", example="クラウドサービス"),
        Field("storage_location", "保管場所", example="Shopify"),
        Field("access", "アクセスできる者", example="営業部・発送代行"),
        Field("highly_encrypted", "高度な暗号化"),
        Field("retention", "保存期間", example="退会後3年"),
        Field("deletion_rule", "削除ルール", example="退会3年後に削除"),
        Field("last_reviewed", "最終見直し日", sort="last_reviewed", example="2026-04-01"),
        Field("flags", "区分", value=flag_labels, label=gettext_lazy("Flags")),
    ],
)
