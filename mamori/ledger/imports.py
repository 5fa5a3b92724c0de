"""The ledger's Excel/CSV import (registered in :mod:`mamori.ledger.apps`)."""

from __future__ import annotations

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.ledger.forms import DataAssetForm
from mamori.ledger.models import Disclosure, StorageKind
from mamori.platform.web.imports import (
    Col,
    ImportSpec,
    choice,
    date,
    labelled_list,
    to_bool,
)

LEDGER = ImportSpec(
    name="ledger",
    label="個人データ管理台帳",
    form_class=DataAssetForm,
    columns=[
        Col("名称", "name", required=True),
        Col("説明", "description"),
        Col("管理部署", "department"),
        Col("項目", "items", labelled_list(ITEM_LABELS)),
        Col("要配慮個人情報", "special_care", labelled_list(SPECIAL_CARE_LABELS)),
        Col("その他の項目", "other_items"),
        Col("本人の数", "individuals"),
        Col("推計", "individuals_estimated", to_bool),
        Col("利用目的", "purposes"),
        Col("利用目的の通知・公表", "disclosure", choice(Disclosure.choices)),
        Col("保管形態", "storage_kind", choice(StorageKind.choices)),
        Col("保管場所", "storage_location"),
        Col("アクセスできる者", "access"),
        Col("高度な暗号化", "highly_encrypted", to_bool),
        Col("保存期間", "retention"),
        Col("削除ルール", "deletion_rule"),
        Col("最終見直し日", "last_reviewed", date),
    ],
    example=[
        "会員名簿",
        "ECサイトの会員情報",
        "営業部",
        "氏名、住所、電話番号、メールアドレス",
        "",
        "",
        "12000",
        "",
        "商品の発送、お知らせの送付",
        "公表済み",
        "クラウドサービス",
        "Shopify",
        "営業部・発送代行",
        "",
        "退会後3年",
        "退会3年後に削除",
        "2026-04-01",
    ],
)
