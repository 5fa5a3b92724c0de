"""Import pages and template downloads for the registry (vendors, data sets, entrustments)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.ledger.forms import DataAssetForm
from mamori.ledger.models import DataAsset, Disclosure, StorageKind
from mamori.tenancy.models import Perm
from mamori.tenancy.scoping import org_view, scoped
from mamori.vendors.forms import EntrustmentForm, VendorForm
from mamori.vendors.models import AccessMethod, EndHandling, Entrustment, Vendor, VendorStatus
from mamori.web import exports
from mamori.web.imports import Col, ImportFailed, ImportSpec, choice, date, labelled_list, run, to_bool


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


SPECS = {
    "vendors": ImportSpec(
        name="vendors",
        label="委託先",
        form_class=VendorForm,
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
    ),
    "ledger": ImportSpec(
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
    ),
    "entrustments": ImportSpec(
        name="entrustments",
        label="委託",
        form_class=EntrustmentForm,
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
    ),
}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel (.xlsx) or CSV file"))


@org_view(Perm.EDIT)
def import_view(request, kind):
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = run(spec, request, form.cleaned_data["file"], Lookups)
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s rows were imported.") % {"n": saved})
            return redirect(f"{kind}:list")
    return render(request, "crud/import.html", {"spec": spec, "form": form, "errors": errors, "kind": kind})


@org_view(Perm.VIEW)
def template_view(request, kind, fmt):
    spec = SPECS.get(kind)
    if spec is None or fmt not in ("xlsx", "csv"):
        raise Http404
    response = HttpResponse(
        spec.template(fmt), content_type=exports.XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mamori-{kind}-template.{fmt}"'
    return response
