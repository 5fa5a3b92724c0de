"""The sample organization's purposes of use, uses, provision records and an opt-out notice (called by
:mod:`mamori.demo`)."""

from __future__ import annotations

import datetime as dt

from mamori.ledger.models import DataAsset
from mamori.platform import actor as trail
from mamori.provisions.models import DataUse, OptOutNotice, ProvisionRecord, PurposeNotice


def seed(org, today: dt.date, actor: trail.Actor) -> None:
    assets = {a.name: a for a in DataAsset.objects.for_org(org)}
    members = assets["通販会員・顧客台帳"]
    dm = assets["カタログDM発送リスト"]
    recruits = assets["採用応募者情報"]
    day = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    with trail.acting_as(actor):
        P = PurposeNotice.objects.create
        shipping = P(
            organization=org,
            data_asset=members,
            purpose="ご注文商品の発送、代金の請求",
            way="published",
            since=dt.date(2019, 4, 1),
            where="https://sakura-tsuhan.example.jp/privacy",
        )
        ads = P(
            organization=org,
            data_asset=dm,
            purpose="カタログ・新商品のご案内の送付",
            way="notified",
            since=dt.date(2020, 10, 1),
            where="会員登録フォーム",
        )
        joint = P(
            organization=org,
            data_asset=members,
            purpose="グループ会社との共同利用（ポイントサービス）",
            way="explicit",
            since=dt.date(2023, 4, 1),
            where="会員規約 第12条",
            third_party=True,
        )
        P(organization=org, data_asset=recruits, purpose="採用選考", way="obvious", since=dt.date(2022, 1, 1))
        P(organization=org, data_asset=dm, purpose="購買傾向の分析", way="", status="ended")
        U = DataUse.objects.create
        U(
            organization=org,
            data_asset=members,
            description="受注・出荷処理",
            purpose=shipping,
            since=dt.date(2019, 4, 1),
        )
        U(organization=org, data_asset=dm, description="秋冬カタログの発送", purpose=ads, since=day(-40))
        U(organization=org, data_asset=dm, description="購買履歴による商品の推奨メール", since=day(-10))
        U(
            organization=org,
            data_asset=members,
            description="旧基幹システムでの会員分析",
            purpose=shipping,
            status="ended",
        )
        R = ProvisionRecord.objects.create
        R(
            organization=org,
            direction="providing",
            data_asset=members,
            basis="joint_use",
            counterparty="さくらホールディングス株式会社",
            provided_on=day(-90),
            method="bulk",
            purpose=joint,
            notes="共同利用（法27条5項3号）: 記録は不要だが経緯を残す",
            recorded_on=day(-90),
        )
        R(
            organization=org,
            direction="providing",
            data_asset=members,
            basis="consent",
            counterparty="株式会社ポイント連合",
            counterparty_address="東京都港区芝5-1-1",
            representative="代表取締役 森 一郎",
            provided_on=day(-60),
            last_provided_on=day(-5),
            method="document",
            subjects="会員番号・氏名",
            items="氏名、メールアドレス、購入金額",
            consent_obtained=True,
            purpose=joint,
            recorded_on=day(-60),
        )
        R(
            organization=org,
            direction="receiving",
            data_asset=recruits,
            basis="consent",
            counterparty="株式会社キャリアナビ",
            counterparty_address="東京都渋谷区道玄坂1-2-3",
            representative="代表取締役 石井 望",
            provided_on=day(-20),
            method="single",
            subjects="応募者氏名",
            items="氏名、連絡先、職歴",
            consent_obtained=True,
            acquisition="求職者本人が同社サイトで登録し、応募先企業への提供に同意",
            recorded_on=day(-20),
        )
        R(
            organization=org,
            direction="providing",
            data_asset=dm,
            basis="opt_out",
            counterparty="名簿の相互交換先 株式会社サンプル商会",
            provided_on=day(-400),
            method="single",
            foreign=False,
            from_opt_out=False,
            recorded_on=day(-400),
            status="ended",
            subjects="氏名",
            items="氏名、住所",
        )
        R(
            organization=org,
            direction="providing",
            data_asset=members,
            basis="law",
            counterparty="所轄警察署（捜査関係事項照会）",
            provided_on=day(-200),
            foreign=False,
            recorded_on=day(-200),
        )
        R(
            organization=org,
            direction="providing",
            data_asset=members,
            basis="foreign_consent",
            counterparty="Sakura Trading Pte. Ltd.（シンガポール）",
            provided_on=day(-30),
            foreign=True,
            from_opt_out=False,
            subjects="会員番号",
            items="氏名、配送先住所",
            consent_obtained=True,
            recorded_on=day(-30),
        )
        OptOutNotice.objects.create(
            organization=org,
            data_asset=dm,
            items="氏名、住所",
            acquisition_method="会員登録フォーム",
            provision_method="CSVファイルの暗号化送付",
            stop_request_method="お問い合わせ窓口（電話・メール）",
            notified_on=dt.date(2021, 3, 1),
            where="https://sakura-tsuhan.example.jp/optout",
            filed_on=dt.date(2021, 3, 15),
            status="ended",
        )
