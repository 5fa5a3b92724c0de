"""A sample organization to try Mamori with: a mail-order company (通信販売) and its vendors.

:func:`seed_demo` always creates a NEW organization, named with the suffix （サンプル） and a slug
starting with ``sample-``, so that sample data never mixes with a real organization's. Objects
are created through the domain's own actions where they exist (sending and answering check
sheets, reviews, incident assessment, tasks and timeline, tokens …), and otherwise through the same
save path as the pages (validated, trailed, after-change hooks run), so risk tiers, scores,
deadlines and trail entries are computed as in real use.

Every date is relative to ``today``, passed in by the caller; the same ``today`` gives the same
content (except identifiers, tokens and the moment things were recorded).

The sample vendors' e-mail addresses are under example.jp (reserved, never delivered) and no mail
or reminder of the sample organization is left waiting in the queue.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.answerlib.sample import sample as answer_library_sample
from mamori.audits import actions as audit_actions
from mamori.audits.models import (
    Audit,
    AuditFile,
    AuditKind,
    CorrectiveAction,
    DigestLog,
    Employee,
    Finding,
    SelfAssessment,
    TrainingSession,
)
from mamori.checksheets import actions as cs
from mamori.checksheets.models import (
    Answer,
    Assessment,
    MailKind,
    MailLog,
    MailStatus,
    Recipient,
    State,
    Template,
)
from mamori.core import contracts as clauses_core
from mamori.core.checksheets.structure import questions
from mamori.incidents import actions as incident_actions
from mamori.incidents.documents import DEFAULTS as DOCUMENT_DEFAULTS
from mamori.incidents.models import (
    Cause,
    DocumentKind,
    DocumentTemplate,
    Incident,
    Principal,
    ReporterProfile,
)
from mamori.ledger.models import DataAsset
from mamori.platform.accounts.actions import issue_token, revoke_token, unique_slug
from mamori.platform.tenancy import actions as tenancy_actions
from mamori.platform.tenancy.actions import invitation_hash
from mamori.platform.tenancy.models import Invitation, Membership, Organization, OrganizationProfile, Role
from mamori.platform.tenancy.objects import run_hooks
from mamori.platform.trail import services as trail
from mamori.platform.web.files import sha256_of
from mamori.preparedness import sample as preparedness_sample
from mamori.provisions import sample as provisions_sample
from mamori.standards import sample as standards_sample
from mamori.vendors import actions as vendor_actions
from mamori.vendors.models import Certification, Contract, Entrustment, Vendor, VendorContact

SAMPLE_SUFFIX = "（サンプル）"
DEFAULT_NAME = "株式会社さくら通販" + SAMPLE_SUFFIX
SLUG_BASE = "sample-sakura-tsuhan"
REGISTRY_MODELS = (DataAsset, Vendor, VendorContact, Certification, Entrustment, Contract)


def is_sample(org: Organization) -> bool:
    return org.name.endswith(SAMPLE_SUFFIX) or org.slug.startswith("sample-")


def sample_message(org: Organization) -> str:
    return _(
        "The sample organization %(name)s was created: its companies, people and events are fictitious."
        " Your own organizations are separate; switch between them at the top of the page."
    ) % {"name": org.name}


def corporate_number(body: str) -> str:
    """A 13-digit corporate number (法人番号) from its 12-digit body, with the check digit in front."""
    digits = [int(c) for c in body]
    even = sum(digits[12 - n] for n in range(1, 13) if n % 2 == 0)
    odd = sum(digits[12 - n] for n in range(1, 13) if n % 2 == 1)
    return f"{9 - (2 * even + odd) % 9}{body}"


class _Seeder:
    def __init__(self, org: Organization, today: dt.date, owner, actor: trail.Actor):
        self.org, self.today, self.owner, self.actor = org, today, owner, actor

    # --- helpers ---------------------------------------------------------------------------------

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def at(self, offset: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.day(offset), dt.time(hour, minute)))

    def create(self, obj, m2m: dict | None = None):
        """The pages' save path without a request: validated, saved, trailed, hooks run.

        The registry's hooks (a vendor's inherent risk) run once per vendor at the end instead
        of after each of its parts (:meth:`finish`): the same computation, far fewer queries."""
        obj.organization = self.org
        obj.full_clean(validate_unique=False)
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        if not isinstance(obj, REGISTRY_MODELS):
            run_hooks(obj, deleted=False)
        return obj

    # --- ledger ----------------------------------------------------------------------------------

    def ledger(self) -> None:
        d = self.day
        self.customers = self.create(
            DataAsset(
                name="通販会員・顧客台帳",
                description="オンラインショップと電話・はがき注文の会員情報。購入履歴と連携している。",
                department="EC事業部",
                items=[
                    "person_name",
                    "name_kana",
                    "address",
                    "postal_code",
                    "phone",
                    "email",
                    "birth_date",
                    "gender",
                    "ip_address",
                ],
                other_items="購入履歴、会員ランク、メールマガジン配信可否",
                individuals=48200,
                individuals_estimated=False,
                purposes="商品の発送、代金の請求、お問い合わせへの回答、新商品・キャンペーンのご案内（同意者のみ）",
                disclosure="both",
                storage_kind="cloud",
                storage_location="ECカートシステム「ショップクラウド」（国内リージョン）",
                access="EC事業部6名（管理者権限2名）、カスタマーサポート課4名（閲覧のみ）",
                highly_encrypted=False,
                retention="最終購入日から5年",
                deletion_rule="退会の申出から30日以内に削除。毎年4月に保存期間を過ぎた会員を一括削除",
                last_reviewed=d(-120),
            )
        )
        self.payments = self.create(
            DataAsset(
                name="クレジットカード決済・返金口座情報",
                description="カード決済は決済代行会社の画面で入力され、当社はトークンと下4桁のみ保持。返金用の口座は申出の都度取得。",
                department="経理部",
                items=["person_name", "credit_card", "payment_credentials", "bank_account", "phone"],
                other_items="カード有効期限、決済トークン",
                individuals=3150,
                individuals_estimated=True,
                purposes="代金決済、返品時の返金",
                disclosure="published",
                storage_kind="system",
                storage_location="決済代行会社の管理画面／経理部の会計システム",
                access="経理部3名（返金担当2名は多要素認証）",
                highly_encrypted=True,
                retention="返金完了から7年（税務上の保存期間）",
                deletion_rule="保存期間の経過後、年度末に会計システムから削除",
                last_reviewed=d(-45),
            )
        )
        self.health = self.create(
            DataAsset(
                name="従業員の健康診断結果",
                description="定期健康診断と特殊健康診断の結果。産業医面談の記録を含む。",
                department="総務部",
                items=["person_name", "birth_date", "gender", "health_insurance_number"],
                special_care=["health_check", "medical_history", "guidance_treatment"],
                other_items="産業医の意見、就業上の措置",
                individuals=85,
                purposes="労働安全衛生法に基づく健康管理、就業上の措置の判断",
                disclosure="notified",
                storage_kind="paper",
                storage_location="本社3階 総務部の施錠キャビネット（鍵は総務部長が管理）",
                access="総務部長、衛生管理者1名、産業医",
                highly_encrypted=False,
                retention="5年（労働安全衛生規則51条）",
                deletion_rule="保存期間の経過後、溶解処理業者に引き渡し、溶解証明書を受領",
                last_reviewed=d(-200),
            )
        )
        self.payroll = self.create(
            DataAsset(
                name="源泉徴収・社会保険（マイナンバー）",
                description="従業員と扶養家族の個人番号。源泉徴収票、支払調書、社会保険の届出に使用。",
                department="総務部",
                items=["person_name", "address", "birth_date", "my_number", "bank_account"],
                other_items="扶養家族の続柄、給与額",
                individuals=225,
                individuals_estimated=True,
                purposes="源泉徴収票の作成、健康保険・厚生年金の届出、給与振込",
                disclosure="notified",
                storage_kind="cloud",
                storage_location="給与計算クラウド（委託先の つばさ給与サービス が運用）",
                access="総務部の事務取扱担当者2名のみ（番号法の取扱区域を指定）",
                highly_encrypted=True,
                retention="退職後7年（扶養控除等申告書の保存期間）",
                deletion_rule="保存期間の経過後、速やかに削除し、削除記録を残す",
                last_reviewed=d(-30),
            )
        )
        self.dm_list = self.create(
            DataAsset(
                name="カタログDM発送リスト",
                description="季節ごとのカタログを郵送する会員の宛名リスト。発送のたびに顧客台帳から抽出。",
                department="マーケティング部",
                items=["person_name", "address", "postal_code"],
                other_items="顧客番号、DMコード",
                individuals=30000,
                individuals_estimated=True,
                purposes="カタログ・ダイレクトメールの発送",
                disclosure="both",
                storage_kind="other",
                storage_location="抽出したCSVを委託先のファイル転送サービスで受け渡し",
                access="マーケティング部2名、DM発送委託先の担当者",
                highly_encrypted=False,
                retention="発送完了から3か月",
                deletion_rule="発送完了後、委託先に削除を依頼し、削除報告書を受領",
                last_reviewed=d(-90),
            )
        )
        self.inquiries = self.create(
            DataAsset(
                name="お問い合わせ・コールセンター記録",
                description="健康食品の体質・持病に関するご相談を含む。通話は録音している。",
                department="カスタマーサポート課",
                items=["person_name", "phone", "email", "address"],
                special_care=["medical_history"],
                other_items="問い合わせ内容、通話録音",
                individuals=12000,
                individuals_estimated=True,
                purposes="お問い合わせへの回答、品質向上",
                disclosure="published",
                storage_kind="cloud",
                storage_location="コールセンターCRM（クラウド）",
                access="カスタマーサポート課、コールセンター委託先のオペレーター",
                highly_encrypted=False,
                retention="対応完了から3年",
                deletion_rule="四半期ごとに保存期間を過ぎた記録を削除",
                last_reviewed=d(-60),
            )
        )
        self.applicants = self.create(
            DataAsset(
                name="採用応募者情報",
                description="中途・新卒採用の応募書類",
                department="総務部",
                items=["person_name", "email", "phone", "birth_date", "address"],
                other_items="履歴書、職務経歴書、面接評価",
                individuals=140,
                purposes="採用選考と合否の連絡",
                disclosure="none",
                storage_kind="system",
                storage_location="社内ファイルサーバー（人事フォルダ）",
                access="総務部の採用担当2名と面接官",
                retention="選考終了から1年",
                deletion_rule="不採用者の書類は選考終了から1年でシュレッダー・データ削除",
                last_reviewed=d(-300),
            )
        )

    # --- vendors ---------------------------------------------------------------------------------

    def vendor(self, contacts: list[tuple], certifications: list[tuple], **fields) -> Vendor:
        vendor = self.create(Vendor(**fields))
        for name, department, email, phone in contacts:
            self.create(
                VendorContact(vendor=vendor, name=name, department=department, email=email, phone=phone)
            )
        for kind, number, expires, note in certifications:
            self.create(
                Certification(
                    vendor=vendor,
                    kind=kind,
                    number=number,
                    expires_on=self.day(expires) if expires is not None else None,
                    note=note,
                )
            )
        return vendor

    def vendors(self) -> None:
        self.logistics = self.vendor(
            [
                ("高橋 健一", "営業部 課長", "k.takahashi@hikari-logi.example.jp", "03-1234-5601"),
                ("中村 美咲", "情報セキュリティ室", "m.nakamura@hikari-logi.example.jp", "03-1234-5602"),
            ],
            [
                ("pmark", "第10820345(05)号", 400, "更新審査済み"),
                ("isms", "IS 612345", 45, "ISO/IEC 27001:2022、本社物流センターが対象"),
            ],
            name="株式会社ひかりロジスティクス",
            corporate_number=corporate_number("011101012345"),
            address="東京都江東区新木場二丁目3番4号",
            services="商品の保管、ピッキング、梱包、配送、返品受付",
            status="contracted",
            notes="2019年から委託。繁忙期（11〜12月）は派遣スタッフが増える。",
            tags="物流,重要",
        )
        self.dm = self.vendor(
            [
                ("佐々木 誠", "営業本部", "m.sasaki@minato-direct.example.jp", "06-1234-7801"),
                ("吉田 由美", "制作進行", "y.yoshida@minato-direct.example.jp", "06-1234-7802"),
            ],
            [("pmark", "第21000456(03)号", -60, "更新審査中との説明あり。登録証の写し未受領")],
            name="株式会社みなとダイレクト",
            corporate_number=corporate_number("012001034567"),
            address="大阪府大阪市港区弁天一丁目2番3号",
            services="カタログ・ダイレクトメールの宛名印字、封入、発送",
            status="contracted",
            notes="宛名印刷の一部を あおば印刷 に再委託していることが監査で判明（当社の承諾なし）。",
            tags="DM,要注意",
        )
        self.printer = self.vendor(
            [("木村 一郎", "工場長", "", "048-123-4567")],
            [],
            name="有限会社あおば印刷",
            corporate_number=corporate_number("020002098765"),
            address="埼玉県川口市領家五丁目6番7号",
            services="宛名ラベルの印刷（みなとダイレクトからの再委託）",
            status="considering",
            notes="当社との直接の契約はない。再委託の承諾を検討中。担当者はメールを使っていない（電話・FAX）。",
            tags="再委託先",
        )
        self.payment = self.vendor(
            [
                ("井上 翔太", "カスタマーサクセス部", "s.inoue@cloudpay.example.jp", "03-1234-9001"),
                ("松本 彩", "セキュリティ統括部", "a.matsumoto@cloudpay.example.jp", "03-1234-9002"),
            ],
            [
                ("isms", "IS 700123", 500, "全社"),
                ("soc2", "SOC 2 Type 2（2025年度）", 200, "報告書をNDA締結のうえ受領"),
                ("other", "PCI DSS v4.0.1 準拠", 150, "準拠証明書（AOC）を受領"),
            ],
            name="株式会社クラウドペイメント",
            corporate_number=corporate_number("010401056789"),
            address="東京都港区芝浦四丁目5番6号",
            services="クレジットカード決済代行、トークン決済、返金処理",
            status="contracted",
            notes="カード番号は当社のシステムを通らない（リンク型決済）。",
            tags="決済,重要",
        )
        self.payroll_vendor = self.vendor(
            [("山本 恵子", "給与計算センター長", "k.yamamoto@tsubasa-payroll.example.jp", "052-123-3301")],
            [
                ("pmark", "第17001234(06)号", 300, ""),
                ("iso27701", "PIMS 654321", 300, "ISO/IEC 27701:2019"),
            ],
            name="株式会社つばさ給与サービス",
            corporate_number=corporate_number("018001078901"),
            address="愛知県名古屋市中区栄三丁目4番5号",
            services="給与計算、年末調整、社会保険の届出代行（マイナンバーを含む）",
            status="contracted",
            notes="個人番号関係事務の委託（番号法10条）。再委託なしと回答。",
            tags="給与,マイナンバー",
        )
        self.call_center = self.vendor(
            [
                ("比嘉 さくら", "運用管理部", "s.higa@call-link.example.jp", "098-123-4401"),
                ("新垣 大輔", "営業部", "d.arakaki@call-link.example.jp", "098-123-4402"),
            ],
            [
                ("pmark", "第20001111(02)号", 700, ""),
                ("isms", "IS 733333", 20, "更新審査の予定を確認すること"),
            ],
            name="株式会社コールリンク沖縄",
            corporate_number=corporate_number("036000012121"),
            address="沖縄県那覇市久茂地一丁目2番3号",
            services="電話・メールのお問い合わせ受付（コールセンター）、返品受付",
            status="selected",
            notes="来月からお問い合わせ窓口を移管予定。ひかりロジスティクスの返品受付も受託している。",
            tags="コールセンター",
        )
        self.web = self.vendor(
            [("小林 直樹", "代表取締役", "n.kobayashi@ms-web.example.jp", "03-1234-2201")],
            [],
            name="株式会社エムズ・ウェブ",
            corporate_number=corporate_number("011001087654"),
            address="東京都渋谷区道玄坂一丁目10番8号",
            services="旧ECサイトの保守運用（契約終了）",
            status="ended",
            notes="ECカートの乗り換えに伴い契約終了。データ消去証明書を受領済み。",
            tags="終了",
        )
        self.all_vendors = [
            self.logistics,
            self.dm,
            self.printer,
            self.payment,
            self.payroll_vendor,
            self.call_center,
            self.web,
        ]

    def entrustments(self) -> None:
        d = self.day
        self.e_logistics = self.create(
            Entrustment(
                vendor=self.logistics,
                data_asset=self.customers,
                items=["person_name", "address", "postal_code", "phone"],
                individuals=48200,
                purpose="商品の発送と返品の受付",
                access_method="copies",
                starts_on=d(-365 * 5),
            )
        )
        self.create(
            Entrustment(
                vendor=self.call_center,
                data_asset=self.customers,
                parent=self.e_logistics,
                items=["person_name", "phone", "address"],
                individuals=2500,
                purpose="返品受付の電話窓口（ひかりロジスティクスからの再委託）",
                access_method="remote",
                starts_on=d(-400),
                approved=True,
                approved_on=d(-410),
                approval_evidence="ひかりロジスティクスからの再委託承認申請書（承認印あり、総務部保管）",
            )
        )
        self.e_dm = self.create(
            Entrustment(
                vendor=self.dm,
                data_asset=self.dm_list,
                items=["person_name", "address", "postal_code"],
                individuals=30000,
                purpose="春夏・秋冬カタログの宛名印字と発送",
                access_method="copies",
                starts_on=d(-365 * 3),
            )
        )
        self.create(
            Entrustment(
                vendor=self.printer,
                data_asset=self.dm_list,
                parent=self.e_dm,
                items=["person_name", "address", "postal_code"],
                individuals=30000,
                purpose="宛名ラベルの印刷（みなとダイレクトからの再委託、当社は未承諾）",
                access_method="copies",
                starts_on=d(-300),
            )
        )
        self.create(
            Entrustment(
                vendor=self.dm,
                data_asset=self.dm_list,
                items=["person_name", "address", "postal_code"],
                individuals=28000,
                purpose="昨年の年末カタログ発送",
                access_method="copies",
                starts_on=d(-400),
                ends_on=d(-340),
                end_handling="returned",
                end_handled_on=d(-335),
                end_evidence="データ返却受領書（USBメモリ返却、受領印あり）",
            )
        )
        self.create(
            Entrustment(
                vendor=self.payment,
                data_asset=self.payments,
                items=["person_name", "credit_card", "payment_credentials", "phone"],
                individuals=3150,
                purpose="クレジットカード決済と返金処理",
                access_method="hosting",
                starts_on=d(-365 * 2),
            )
        )
        self.create(
            Entrustment(
                vendor=self.payroll_vendor,
                data_asset=self.payroll,
                items=["person_name", "address", "birth_date", "my_number", "bank_account"],
                individuals=225,
                purpose="給与計算、年末調整、源泉徴収票の作成（個人番号関係事務）",
                access_method="remote",
                starts_on=d(-365 * 4),
            )
        )
        self.create(
            Entrustment(
                vendor=self.call_center,
                data_asset=self.inquiries,
                items=["person_name", "phone", "email", "address"],
                special_care=["medical_history"],
                individuals=12000,
                purpose="お問い合わせ窓口の運営（体質・持病のご相談を含む）",
                access_method="on_premises",
                starts_on=d(30),
            )
        )
        self.create(
            Entrustment(
                vendor=self.web,
                data_asset=self.customers,
                items=["person_name", "address", "email", "phone"],
                individuals=45000,
                purpose="旧ECサイトのサーバー保守",
                access_method="remote",
                starts_on=d(-365 * 4),
                ends_on=d(-200),
                end_handling="erased",
                end_handled_on=d(-190),
                end_evidence="データ消去証明書（サーバー初期化の作業報告書付き）",
            )
        )

    def contract(self, vendor, title, starts, ends, auto_renewal, confirmed, document=None) -> Contract:
        c = Contract(
            vendor=vendor,
            title=title,
            starts_on=self.day(starts),
            ends_on=self.day(ends) if ends is not None else None,
            auto_renewal=auto_renewal,
            clauses={code: code in confirmed for code, _label, _p in clauses_core.CLAUSES},
        )
        if document is not None:
            name, text = document
            content = text.encode("utf-8")
            upload = SimpleUploadedFile(name, content, content_type="text/plain")
            c.document_name = name
            c.document_sha256 = sha256_of(upload)
            c.suggested_clauses = clauses_core.suggest(vendor_actions.document_text(name, content))
            c.organization = self.org
            c.document.save(name, upload, save=False)
        return self.create(c)

    def contracts(self) -> None:
        every = [code for code, _l, _p in clauses_core.CLAUSES]
        self.contract(
            self.logistics,
            "物流業務委託基本契約書・個人情報の取扱いに関する覚書",
            -365 * 5,
            100,
            True,
            [c for c in every if c not in ("audit", "handling_reports")],
        )
        self.contract(
            self.dm,
            "DM発送業務委託契約書",
            -365 * 3,
            30,
            False,
            ["security_measures", "confidentiality", "purpose_limitation", "return_erasure", "damages"],
        )
        self.contract(
            self.payment,
            "決済代行サービス利用契約書",
            -365 * 2,
            365,
            True,
            every,
            document=(
                "決済代行サービス利用契約書.txt",
                "第5条（安全管理措置）受託者は個人データの漏えい等の防止その他の安全管理のために必要かつ適切な措置を講じる。\n"
                "第6条（秘密保持）受託者は本契約に関して知り得た秘密を保持する。\n"
                "第7条（目的外利用の禁止）受託者は委託の目的以外に個人データを利用しない。\n"
                "第8条（再委託）受託者は甲の事前の書面による承諾なく再委託しない。\n"
                "第9条（事故時の報告）受託者は漏えい等の事故を知ったときは直ちに甲に報告する。\n"
                "第10条（監査）甲は受託者に報告を求め、又は立入り監査を行うことができる。\n"
                "第11条（返還・消去）契約終了時、受託者は個人データを返還又は消去する。\n"
                "第12条（損害賠償）受託者は甲に生じた損害を賠償する。\n"
                "第13条（従業者の監督）受託者は従業者に対し必要な教育を実施する。\n"
                "第14条（取扱状況の報告）受託者は取扱状況を定期的に報告する。\n",
            ),
        )
        self.contract(
            self.payroll_vendor,
            "給与計算業務委託契約書",
            -365 * 4,
            -10,
            True,
            [c for c in every if c not in ("return_erasure", "staff_supervision")],
        )
        self.contract(
            self.call_center,
            "コールセンター業務委託契約書（案）",
            30,
            395,
            False,
            ["security_measures", "confidentiality", "purpose_limitation"],
        )
        self.contract(self.web, "ECサイト保守契約書", -365 * 4, -200, False, ["confidentiality", "damages"])

    # --- check sheets ----------------------------------------------------------------------------

    def templates(self) -> None:
        cs.ensure_builtin(self.org)
        by_key = {t.builtin_key: t for t in Template.objects.filter(organization=self.org)}
        self.standard = by_key["standard"].current
        self.short = by_key["short"].current
        self.selection = by_key["selection"].current
        s = cs.settings_for(self.org)
        s.remind_days_before, s.overdue_every_days, s.grace_days = 10, 5, 21
        s.save()
        own = self.create(
            Template(
                name="物流委託先 追加確認シート",
                description="当社独自の確認項目（配送伝票の取扱い、置き配写真など）。標準シートと併せて送る。",
            )
        )
        structure = {
            "sections": [
                {
                    "key": "s1",
                    "title": "配送伝票と端末",
                    "questions": [
                        {
                            "key": "k1",
                            "text": "配送伝票（控え）の保管期間を教えてください。",
                            "type": "single",
                            "weight": 2,
                            "required": True,
                            "critical": False,
                            "guidance": "社内規程の期間を選んでください。",
                            "choices": [
                                {"value": "c0", "label": "30日以内", "score": 1.0},
                                {"value": "c1", "label": "90日以内", "score": 0.67},
                                {"value": "c2", "label": "1年以内", "score": 0.33},
                                {"value": "c3", "label": "定めていない", "score": 0.0},
                            ],
                        },
                        {
                            "key": "k2",
                            "text": "個人データを扱う端末の対策（当てはまるものすべて）",
                            "type": "multiple",
                            "weight": 2,
                            "required": True,
                            "critical": False,
                            "guidance": "",
                            "choices": [
                                {"value": "c0", "label": "ディスク暗号化", "score": 0.4},
                                {"value": "c1", "label": "多要素認証", "score": 0.3},
                                {"value": "c2", "label": "USBメモリの使用制限", "score": 0.3},
                            ],
                        },
                        {
                            "key": "k3",
                            "text": "当社の個人データを取り扱う従業者の数（派遣を含む）",
                            "type": "number",
                            "weight": 0,
                            "required": True,
                            "critical": False,
                            "guidance": "繁忙期の最大人数",
                        },
                        {
                            "key": "k4",
                            "text": "直近の内部監査の実施日",
                            "type": "date",
                            "weight": 0,
                            "required": False,
                            "critical": False,
                            "guidance": "",
                        },
                        {
                            "key": "k5",
                            "text": "再委託先の名称と業務内容",
                            "type": "text",
                            "weight": 0,
                            "required": False,
                            "critical": False,
                            "guidance": "再委託していなければ「なし」",
                        },
                        {
                            "key": "k6",
                            "text": "配送伝票の廃棄記録（任意）",
                            "type": "file",
                            "weight": 0,
                            "required": False,
                            "critical": False,
                            "guidance": "直近1か月分の記録",
                        },
                        {
                            "key": "k7",
                            "text": "誤配送・伝票の紛失を把握したとき、24時間以内に当社へ報告しますか。",
                            "type": "ynp",
                            "weight": 2,
                            "required": True,
                            "critical": True,
                            "guidance": "",
                            "allow_na": True,
                        },
                    ],
                }
            ]
        }
        cs.add_version(own, structure, self.actor)
        structure["sections"][0]["questions"].append(
            {
                "key": "k8",
                "text": "置き配の写真データの保存期間と閲覧者を定めていますか。",
                "type": "ynp",
                "weight": 1,
                "required": True,
                "critical": False,
                "guidance": "写真には表札や住所が写ることがあります。",
                "allow_na": True,
            }
        )
        self.own_version = cs.add_version(own, structure, self.actor)

    REMARKS = {
        "p1": "個人情報保護方針（第3版、{year}年4月改定）を社内ポータルと朝礼で周知しています。",
        "o1": "個人情報保護管理者：取締役 管理本部長",
        "o5": "内部監査を年1回実施（直近：{year}年9月）。",
        "h1": "年1回のeラーニング（受講率98％）と新入社員研修。",
        "t2": "共用アカウントはありません。管理者は多要素認証を使用。",
        "c1": "プライバシーマーク（有効期限は登録証の写しを参照）。",
    }
    TEXTS = {
        "c3": "情報セキュリティ室長 {contact}",
        "sel1": "本社：{address}。従業員約120名。主な事業：{services}",
        "sel2": "国内の自社拠点のみ（外国での取扱いなし）",
        "k5": "なし",
    }

    def answer(self, a: Assessment, quality: float, seed: str, force: dict | None = None) -> Recipient:
        """The vendor's contact answers every question through the portal actions."""
        r = a.recipients.filter(revoked_at__isnull=True).exclude(email="").order_by("pk").first()
        rng = random.Random(f"{seed}:{a.vendor.name}")
        force = force or {}
        year = self.today.year
        for _section, q in questions(a.version.structure):
            key, remark, na_reason = q["key"], "", ""
            if key in force:
                value = force[key]
            elif q["type"] == "ynp":
                x = rng.random()
                value = "yes" if x < quality else "partial" if x < (1 + quality) / 2 else "no"
                if q.get("critical") and quality >= 0.6:
                    value = "yes"
            elif q["type"] == "single":
                value = q["choices"][0 if quality >= 0.7 else 1]["value"]
            elif q["type"] == "multiple":
                value = [c["value"] for c in q["choices"]][: 3 if quality >= 0.7 else 2]
            elif q["type"] == "number":
                value = "24"
            elif q["type"] == "date":
                value = self.day(-75).isoformat()
            elif q["type"] == "text":
                value = self.TEXTS.get(key, "記載のとおり").format(
                    contact=r.name, address=a.vendor.address, services=a.vendor.services
                )
            else:  # file
                cs.add_evidence(
                    r,
                    key,
                    SimpleUploadedFile(
                        f"{a.vendor.name}_証跡.pdf", b"%PDF-1.4\n% sample evidence\n", "application/pdf"
                    ),
                )
                continue
            if value == "na":
                na_reason = "当該業務では再委託していないため。"
            if key in self.REMARKS and value != "na":
                remark = self.REMARKS[key].format(year=year)
            cs.save_answer(r, key, value=value, remark=remark, na_reason=na_reason)
        return r

    def send(self, version, vendor, due: int, sent: int, parent=None, contacts=None) -> Assessment:
        """Send through the action, then place the dates where they belong relative to today."""
        real_due = self.day(due)
        a = cs.send(
            org=self.org,
            version=version,
            vendors=[vendor],
            due_on=max(real_due, timezone.localdate()),
            actor=self.actor,
            contacts=contacts,
            parent=parent,
        )[0]
        Assessment.objects.filter(pk=a.pk).update(due_on=real_due, sent_at=self.at(sent, 9, 30))
        s = cs.settings_for(self.org)
        Recipient.objects.filter(assessment=a).update(expires_at=cs.sending._expiry(s, real_due))
        a.refresh_from_db()
        return a

    def dated(self, a: Assessment, submitted: int | None = None, reviewed: int | None = None) -> None:
        fields = {}
        if submitted is not None:
            fields["submitted_at"] = self.at(submitted, 16, 40)
            answered = Answer.objects.filter(assessment=a).values("updated_by")
            Recipient.objects.filter(assessment=a, pk__in=answered).update(
                last_opened_at=self.at(submitted, 16, 5)
            )
        if reviewed is not None:
            fields["reviewed_at"] = self.at(reviewed, 11, 15)
        Assessment.objects.filter(pk=a.pk).update(**fields)

    def assessments(self) -> None:
        owner_actor = self.actor
        # Last year: approved sheets (the year-over-year comparison has something to show).
        for vendor, version, quality in (
            (self.logistics, self.standard, 0.7),
            (self.dm, self.short, 0.8),
            (self.payroll_vendor, self.short, 0.75),
        ):
            a = self.send(version, vendor, due=-365, sent=-395)
            r = self.answer(a, quality, "last-year")
            cs.submit(r)
            cs.review(a, approve=True, comments={"": "昨年度の回答として承認します。"}, actor=owner_actor)
            self.dated(a, submitted=-368, reviewed=-360)
        # Expired: the former web vendor never answered (it was still under contract then: no sheet
        # goes to an ended vendor).
        Vendor.objects.filter(pk=self.web.pk).update(status="contracted")
        self.web.status = "contracted"
        a = self.send(self.short, self.web, due=-330, sent=-360)
        Vendor.objects.filter(pk=self.web.pk).update(status="ended")
        self.web.status = "ended"
        Assessment.objects.filter(pk=a.pk).update(state=State.EXPIRED)

        # This year.
        a = self.send(self.standard, self.logistics, due=-3, sent=-30)
        r = self.answer(a, 0.85, "this-year")
        # A file uploaded by mistake and taken back before submitting (ended, kept in the trail).
        wrong = cs.add_evidence(
            r,
            "p1",
            SimpleUploadedFile("旧版_個人情報保護規程.pdf", b"%PDF-1.4\n% superseded\n", "application/pdf"),
        )
        cs.withdraw_evidence(r, wrong.uuid)
        cs.submit(r)
        self.dated(a, submitted=-4)

        self.dm_sheet = a = self.send(self.short, self.dm, due=-5, sent=-35)
        r = self.answer(a, 0.55, "this-year", force={"r2": "no", "t4": "partial", "r3": "no"})
        cs.submit(r)
        self.dated(a, submitted=-9)
        cs.review(
            a,
            approve=False,
            comments={
                "r2": "あおば印刷への再委託について、当社の事前承諾を得ていません。承諾申請書を提出してください。",
                "t4": "「一部」の理由（更新が止まっていた端末の台数と対応状況）を備考に記載してください。",
                "": "全体として、再委託先の管理状況の説明が不足しています。",
            },
            actor=owner_actor,
        )
        Assessment.objects.filter(pk=a.pk).update(reviewed_at=self.at(-7, 14))
        # A contact left: the old link is revoked, a new person gets one.
        old = a.recipients.order_by("pk").last()
        cs.revoke_link(old, owner_actor)
        cs.add_recipient(
            a,
            name="岡田 真理",
            email="m.okada@minato-direct.example.jp",
            actor=owner_actor,
        )

        # Passed down by the DM vendor to its re-subcontractor (who has no e-mail): overdue.
        self.send(
            self.short,
            self.printer,
            due=-2,
            sent=-20,
            parent=self.dm_sheet,
            contacts={self.printer.id: list(self.printer.contacts.all())},
        )

        a = self.send(self.short, self.payroll_vendor, due=-20, sent=-50)
        r = self.answer(a, 0.9, "this-year", force={"r2": "na"})
        cs.submit(r)
        cs.review(a, approve=True, comments={"t2": "多要素認証の導入を確認しました。"}, actor=owner_actor)
        self.dated(a, submitted=-25, reviewed=-21)

        a = self.send(self.standard, self.payment, due=10, sent=-14)
        r = a.recipients.order_by("pk").first()
        for key, value in (("p1", "yes"), ("p2", "yes"), ("p3", "yes"), ("o1", "yes"), ("o2", "partial")):
            cs.save_answer(r, key, value=value, remark=self.REMARKS.get(key, "").format(year=self.today.year))

        a = self.send(self.selection, self.call_center, due=14, sent=-1)
        MailLog.objects.filter(assessment=a, recipient__email="d.arakaki@call-link.example.jp").update(
            status=MailStatus.FAILED, error="SMTPRecipientsRefused: 550 5.1.1 User unknown"
        )

        # The logistics vendor's own extra sheet: approved at once, and a draft of the next round.
        a = self.send(self.own_version, self.logistics, due=-40, sent=-60)
        r = self.answer(a, 0.9, "own")
        cs.submit(r)
        cs.review(a, approve=True, comments={}, actor=owner_actor)
        self.dated(a, submitted=-45, reviewed=-44)
        with trail.acting_as(owner_actor):
            Assessment.objects.create(
                organization=self.org, vendor=self.logistics, version=self.own_version, due_on=self.day(60)
            )

        # Reminders that went out, and no mail left in the queue.
        for a in Assessment.objects.filter(organization=self.org, state__in=(State.SENT, State.RETURNED)):
            for rec in a.recipients.exclude(email="").filter(revoked_at__isnull=True):
                MailLog.objects.create(
                    organization=self.org,
                    assessment=a,
                    recipient=rec,
                    kind=MailKind.REMINDER,
                    status=MailStatus.SENT,
                    created_at=self.at(-12, 9),
                    sent_at=self.at(-12, 9, 1),
                )
                if a.due_on < self.today:
                    MailLog.objects.create(
                        organization=self.org,
                        assessment=a,
                        recipient=rec,
                        kind=MailKind.OVERDUE,
                        status=MailStatus.SENT,
                        created_at=self.at(-1, 9),
                        sent_at=self.at(-1, 9, 1),
                    )
        MailLog.objects.filter(organization=self.org, status=MailStatus.QUEUED).update(
            status=MailStatus.SENT, sent_at=timezone.now()
        )
        Recipient.objects.filter(organization=self.org).update(next_reminder_at=None)

    # --- audits ----------------------------------------------------------------------------------

    def audits(self) -> None:
        plan = audit_actions.plan_for(self.org)
        plan.high_months, plan.high_kind = 6, AuditKind.ONSITE
        plan.medium_months, plan.medium_kind = 12, AuditKind.REMOTE
        plan.low_months, plan.low_kind = 24, AuditKind.DOCUMENT
        plan.save()

        audit = self.create(
            Audit(
                vendor=self.dm,
                kind=AuditKind.ONSITE,
                performed_on=self.day(-40),
                auditors="総務部 佐藤 美穂、情報システム課 伊藤 健",
                scope="DM発送業務（宛名データの受領から発送後の削除まで）、大阪本社の作業室",
                evidence_reviewed="入退室記録、データ受領・削除の記録簿、端末のウイルス対策ソフトの管理画面、再委託先一覧",
                summary="作業室の入退室管理は良好。端末の更新管理と再委託の手続に重大な不備があり、是正を求めた。",
            )
        )
        self.audit_file(audit, "実地監査チェックリスト_みなとダイレクト.pdf")
        f = self.create(
            Finding(
                audit=audit,
                severity="high",
                description="DM発送用PC 2台でウイルス対策ソフトの定義ファイル更新が3か月止まっていた。",
                reference="委託先チェックシート t4",
            )
        )
        self.create(
            CorrectiveAction(
                finding=f,
                what="全端末の定義ファイル更新を自動化し、月次で確認結果を報告する",
                responsible="vendor",
                owner="みなとダイレクト 佐々木 誠",
                due_on=self.day(-10),
            )
        )
        f = self.create(
            Finding(
                audit=audit,
                severity="medium",
                description="宛名印刷を有限会社あおば印刷に再委託しているが、当社の事前承諾を得ていない。",
                reference="委託契約 再委託の条件",
            )
        )
        self.create(
            CorrectiveAction(
                finding=f,
                what="再委託の承諾手続と再委託先の監督を契約に追加する",
                responsible="ours",
                owner="総務部 佐藤 美穂",
                due_on=self.day(20),
            )
        )
        f = self.create(
            Finding(
                audit=audit,
                severity="low",
                description="データ削除記録簿に削除者の押印漏れが2件あった。",
                reference="委託先チェックシート f4",
            )
        )
        done = self.create(
            CorrectiveAction(
                finding=f,
                what="削除記録簿の様式を改め、ダブルチェック欄を設ける",
                responsible="vendor",
                owner="みなとダイレクト 吉田 由美",
                due_on=self.day(-20),
                status="done",
                closing_evidence="改訂後の削除記録簿（様式第3版）の写し",
                done_on=self.day(-25),
            )
        )
        self.audit_file(audit, "削除記録簿_第3版.pdf", action=done)

        audit = self.create(
            Audit(
                vendor=self.logistics,
                kind=AuditKind.DOCUMENT,
                performed_on=self.day(-200),
                auditors="総務部 佐藤 美穂",
                scope="物流業務全般（書面による確認）",
                evidence_reviewed="チェックシートの回答、Pマーク登録証、ISMS認証書、教育記録",
                summary="おおむね良好。返品伝票の保管期間について軽微な指摘。",
            )
        )
        f = self.create(
            Finding(
                audit=audit,
                severity="low",
                description="返品伝票の保管期間が社内規程に定められていない。",
                reference="物流委託先 追加確認シート k1",
            )
        )
        self.create(
            CorrectiveAction(
                finding=f,
                what="返品伝票の保管期間（90日）を規程に追加する",
                responsible="vendor",
                owner="ひかりロジスティクス 高橋 健一",
                due_on=self.day(-150),
                status="done",
                closing_evidence="改訂後の文書管理規程",
                done_on=self.day(-160),
            )
        )

        audit = self.create(
            Audit(
                vendor=self.payroll_vendor,
                kind=AuditKind.REMOTE,
                performed_on=self.day(-90),
                auditors="総務部 佐藤 美穂、顧問社労士 森田 浩",
                scope="個人番号関係事務（取扱区域、アクセス権限、削除の記録）",
                evidence_reviewed="画面共有による取扱区域とアクセス権限の確認、削除記録",
                summary="取扱区域の管理は良好。退職者の個人番号の削除が遅れている。",
            )
        )
        f = self.create(
            Finding(
                audit=audit,
                severity="medium",
                description="保存期間を過ぎた退職者12名の個人番号が削除されていない。",
                reference="番号法ガイドライン 削除・廃棄",
            )
        )
        self.create(
            CorrectiveAction(
                finding=f,
                what="保存期間を過ぎた個人番号を削除し、削除記録を提出する",
                responsible="vendor",
                owner="つばさ給与サービス 山本 恵子",
                due_on=self.day(-5),
            )
        )

    def audit_file(self, audit: Audit, name: str, action=None) -> AuditFile:
        upload = SimpleUploadedFile(name, f"%PDF-1.4\n% {name}\n".encode(), "application/pdf")
        f = AuditFile(organization=self.org, audit=audit, action=action, name=name, sha256=sha256_of(upload))
        f.file.save(name, upload, save=False)
        f.save()
        return f

    def self_assessment(self) -> None:
        version = audit_actions.self_version(self.org)
        for year, quality in ((self.today.year - 1, 0.55), (self.today.year, 0.75)):
            rng = random.Random(f"self:{year - self.today.year}")
            answers = {}
            for _s, q in questions(version.structure):
                x = rng.random()
                value = "yes" if x < quality else "partial" if x < (1 + quality) / 2 else "no"
                answers[q["key"]] = {"value": value, "remark": "", "na_reason": ""}
            answers["m3"]["remark"] = "Mamoriの台帳で管理。年1回見直し。"
            answers["e1"]["remark"] = "毎年6月に全員研修（eラーニング）。"
            answers["n4"] = {"value": "na", "remark": "", "na_reason": "社内に無線LANはない（有線のみ）。"}
            sa = SelfAssessment(organization=self.org, year=year, version=version, answers=answers)
            sa.score = audit_actions.score_self(sa).overall
            sa.completed_at = self.at(-365 * (self.today.year - year) - 30, 17)
            sa.save()
        for q in audit_actions.gaps(sa):
            self.create(
                CorrectiveAction(
                    self_assessment=sa,
                    what=q["text"][:300],
                    responsible="ours",
                    owner="総務部 佐藤 美穂",
                    due_on=self.day(60),
                )
            )

    def training(self) -> None:
        attendees = [self.owner] if self.owner is not None else []
        # The employee roster (not only Mamori users); one of them has not trained this year.
        staff = [
            self.create(Employee(number=number, name=name, department=department, email=email, status=status))
            for number, name, department, email, status in (
                ("S1001", "中村 由美", "EC事業部", "nakamura@sakura-tsuhan.example.jp", "active"),
                (
                    "S1002",
                    "小林 健太",
                    "カスタマーサポート課",
                    "kobayashi@sakura-tsuhan.example.jp",
                    "active",
                ),
                ("S1003", "加藤 直樹", "物流管理課", "", "active"),
                ("S0907", "松本 恵", "EC事業部", "", "ended"),
            )
        ]
        self.create(
            TrainingSession(
                held_on=self.day(-250),
                topic="個人情報保護の基礎と標的型メール訓練",
                other_attendees="EC事業部 6名、カスタマーサポート課 4名、物流管理課 3名",
                material="社内研修資料「個人情報の取扱い 第3版」、訓練メールの結果報告",
            ),
            m2m={"attendees": attendees},
        )
        self.create(
            TrainingSession(
                held_on=self.day(-30),
                topic="メール誤送信の防止とマイナンバーの取扱い",
                other_attendees="全従業員（欠席者3名は録画で受講）",
                material="誤送信事案の振り返り資料、番号法ガイドラインの抜粋",
            ),
            m2m={"attendees": attendees, "staff": staff[:2]},
        )

    # --- incidents -------------------------------------------------------------------------------

    def incidents(self) -> None:
        actor = self.actor
        i = self.create(
            Incident(
                title="DM発送委託先のPCがマルウェアに感染（会員の氏名・住所の漏えいのおそれ）",
                description=(
                    "DM発送委託先（みなとダイレクト）の宛名印字用PCがマルウェアに感染し、外部サーバーへの通信が確認された。"
                    "PCには当社の秋冬カタログ発送リスト（CSV）が保存されていた。"
                ),
                leak=True,
                suspected=True,
                cause=Cause.MALWARE,
                occurred_on=self.day(-15),
                discovered_on=self.day(-13),
                aware_on=self.day(-12),
                vendor=self.dm,
                items=["person_name", "address", "postal_code"],
                individuals=12480,
                individuals_kind="range",
                individuals_min=11900,
                individuals_max=12480,
                individuals_basis="発送リストの行数（12,480行）と、同一世帯で重複する宛先を除いた数（11,900人）",
                improper_purpose="yes",
                financial_damage_risk="no",
                audience="members",
                how_found="委託先から、宛名印字用PCのウイルス対策ソフトが外部通信を検知したとの電話連絡",
                medium="委託先の宛名印字用PCに保存したCSVファイル",
                recurrence_done="委託先での個人データの保存を暗号化した共有フォルダに限定し、作業後の削除を確認する手順を追加",
                recurrence_planned="委託先の年次点検にマルウェア対策の項目を追加する",
                published_on=self.day(-8),
                publication_url="https://sakura-tsuhan.example.jp/news/dm-incident",
                other_matters="警察（サイバー犯罪相談窓口）に相談済み",
                highly_encrypted=False,
                copy_exists=True,
                role="principal",
                secondary_damage=False,
                notice_method="封書による個別通知（宛先不明はウェブサイトでの公表で代替）",
                notices_sent=11900,
                notices_returned=132,
                alternative_measures="ウェブサイトでの公表と専用お問い合わせ窓口（フリーダイヤル）の設置",
                caused_by="vendor",
                contact_point="さくら通販 個人情報お問い合わせ窓口　0120-000-000（平日9時〜18時）",
            ),
            m2m={"data_assets": [self.dm_list]},
        )
        incident_actions.append(
            i,
            actor,
            "note",
            "みなとダイレクトの佐々木氏から電話で第一報。感染PCはネットワークから切り離し済み。",
            occurred_at=self.at(-12, 11, 5),
        )
        incident_actions.append(
            i,
            actor,
            "decision",
            "報告対象事態（不正の目的によるおそれ）として、速報を提出する方針を決定（管理本部長）。",
            upload=SimpleUploadedFile(
                "対策本部議事メモ.txt",
                "第1回対策本部 議事メモ\n出席者：管理本部長ほか".encode(),
                "text/plain",
            ),
        )
        incident_actions.append(
            i, actor, "action", "フォレンジック調査会社に調査を依頼。委託先に証拠保全を指示。"
        )
        incident_actions.append(i, actor, "correction", "第一報の時刻を訂正：10時30分ではなく11時05分。")
        incident_actions.append(
            i,
            actor,
            "document",
            code="incidents.document_created",
            params={"document": DocumentKind.PPC_PRELIMINARY.value, "format": "docx"},
        )
        tasks = list(i.tasks.order_by("step", "pk"))
        for task in tasks[:3]:
            incident_actions.complete_task(task, actor)
        incident_actions.add_task(
            i, actor, "カード会社・警察への相談要否を確認する", self.day(2), owner=self.owner
        )

        i = self.create(
            Incident(
                title="キャンペーン案内メールの誤送信（BCCとすべきところをCCで送信）",
                description="定期便会員38名へのキャンペーン案内を、宛先をCCに入れて一斉送信した。受信者同士にメールアドレスが表示された。",
                leak=True,
                cause=Cause.MISDIRECTED_EMAIL,
                occurred_on=self.day(-70),
                discovered_on=self.day(-70),
                aware_on=self.day(-70),
                items=["email", "person_name"],
                individuals=38,
                individuals_kind="exact",
                caused_by="self",
                improper_purpose="no",
                financial_damage_risk="no",
                publicly_viewable="no",
                audience="customers",
                copy_exists=True,
                role="principal",
                secondary_damage=False,
                notice_method="お詫びメール（個別送信）",
                notices_sent=38,
                notices_returned=0,
            ),
            m2m={"data_assets": [self.customers]},
        )
        csv = "氏名,メールアドレス\n" + "".join(
            f"会員{n:02d},member{n:02d}@customer.example.jp\n" for n in range(1, 39)
        )
        incident_actions.apply_scan(
            i, SimpleUploadedFile("誤送信メールの宛先.csv", csv.encode("utf-8"), "text/csv"), actor
        )
        incident_actions.append(
            i, actor, "note", "受信者全員に削除を依頼し、34名から削除済みの返信を受けた。"
        )
        for task in i.tasks.all():
            incident_actions.complete_task(task, actor)
        incident_actions.close(i, actor)

        notice = DOCUMENT_DEFAULTS[DocumentKind.NOTICE].replace(
            "（窓口名・電話番号・受付時間を記載してください）",
            "さくら通販 個人情報お問い合わせ窓口　0120-000-000（平日9時〜18時）",
        )
        self.create(DocumentTemplate(kind=DocumentKind.NOTICE, body=notice))
        self.create(
            ReporterProfile(
                name=self.org.name,
                corporate_number="1234567890123",
                postal_code="150-0002",
                address="東京都渋谷区渋谷2-1-1",
                representative="代表取締役 桜井 誠",
                industry="通信販売業",
                contact_department="管理本部 個人情報保護担当",
                contact_name="山田 健一",
                contact_phone="03-0000-0000",
                contact_email="privacy@sakura-tsuhan.example.jp",
            )
        )
        # Companies that entrust personal data to the sample company (it ships their gift orders):
        # as their vendor it would notify them under 規則9条.
        self.create(
            Principal(
                name="株式会社はなまるギフト",
                department="お客様情報管理室 中川 由紀",
                email="privacy@hanamaru-gift.example.jp",
                phone="03-1111-2222",
                entrusted="ギフト商品の受注・発送代行（贈り主・お届け先の氏名・住所・電話番号）",
                status="active",
            )
        )
        self.create(
            Principal(
                name="みどり生活協同組合",
                department="組合員サービス部",
                email="info@midori-coop.example.jp",
                phone="06-3333-4444",
                entrusted="季節カタログの発送代行（2025年度で終了）",
                status="ended",
            )
        )

    # --- members -----------------------------------------------------------------------------------

    def members(self) -> None:
        token = "mmi_" + secrets.token_urlsafe(32)
        inv = Invitation.objects.create(
            organization=self.org,
            email="yamada.k@sakura-tsuhan.example.jp",
            role=Role.EDITOR,
            token_hash=invitation_hash(token),
            invited_by=self.owner,
            expires_at=self.at(7, 23, 59),
        )
        inv = Invitation.objects.create(
            organization=self.org,
            email="kato.t@sakura-tsuhan.example.jp",
            role=Role.VIEWER,
            token_hash=invitation_hash("mmi_" + secrets.token_urlsafe(32)),
            invited_by=self.owner,
            expires_at=self.at(3, 23, 59),
        )
        tenancy_actions.revoke_invitation(invitation=inv, actor=self.actor)
        if self.owner is None:
            return
        api_token, _secret = issue_token(
            user=self.owner, org=self.org, name="基幹システム連携（試用）", actor=self.actor
        )
        revoke_token(token=api_token, actor=self.actor)
        iso = self.day(-7).isocalendar()
        DigestLog.objects.create(
            organization=self.org, user=self.owner, week=f"{iso.year}W{iso.week:02d}", sent_at=self.at(-7, 8)
        )

    def finish(self) -> None:
        for vendor in Vendor.objects.filter(organization=self.org):
            vendor_actions.refresh_tier(vendor, self.today)


def seed_demo(*, today: dt.date, owner=None, name: str = DEFAULT_NAME) -> Organization:
    """Create a new sample organization (a mail-order company) filled with realistic data.

    ``owner`` (a user) becomes its owner; without one the organization has no member yet.
    """
    name = name.strip() or DEFAULT_NAME
    if not name.endswith(SAMPLE_SUFFIX):
        name += SAMPLE_SUFFIX
    actor = trail.Actor(user=owner, via="demo")
    with transaction.atomic(), trail.acting_as(actor):  # every change is trailed as the demo's
        org = Organization.objects.create(name=name, slug=unique_slug(SLUG_BASE))
        if owner is not None:
            Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
        # Who mail to vendors comes from and whom they contact (設定 › 組織の設定).
        OrganizationProfile.objects.create(
            organization=org,
            sender_name="株式会社さくら通販 総務部",
            contact_name="佐藤 美咲",
            department="総務部 個人情報保護担当",
            phone="03-6555-0123",
            reply_to="privacy@sakura-tsuhan.example.jp",
            checksheet_message="ご不明な点は総務部 佐藤までお電話またはメールでお問い合わせください。",
        )
        seeder = _Seeder(org, today, owner, actor)
        seeder.ledger()
        seeder.vendors()
        seeder.entrustments()
        seeder.contracts()
        seeder.templates()
        seeder.assessments()
        seeder.audits()
        seeder.self_assessment()
        answer_library_sample(org, today)
        seeder.training()
        provisions_sample.seed(org, today, actor)
        preparedness_sample.seed(org, today, actor)
        seeder.incidents()
        preparedness_sample.seed_drills(org, today, actor)
        standards_sample.seed(org, today, actor)
        seeder.members()
        seeder.finish()
    return Organization.objects.get(pk=org.pk)
