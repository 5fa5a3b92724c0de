from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.ledger import actions
from mamori.ledger.forms import DataAssetForm, ScanUploadForm
from mamori.ledger.models import DataAsset
from mamori.platform.rules import RuleError, add_to_form
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.trail.services import Actor
from mamori.platform.web.crud import Column, Filter, Resource
from mamori.platform.web.files import size_error

YES = [("1", gettext_lazy("Yes"))]


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


def _detail(request, obj):
    from mamori.vendors.actions import chain_for_asset

    return {"chain": chain_for_asset(obj), "item_text": item_labels(obj), "flag_text": flag_labels(obj)}


resource = Resource(
    name="ledger",
    model=DataAsset,
    form_class=DataAssetForm,
    label=gettext_lazy("Personal-data ledger"),
    singular=gettext_lazy("data set"),
    columns=[
        Column(gettext_lazy("Name"), lambda o: o.name, sort="name", link=True),
        Column(gettext_lazy("Department"), lambda o: o.department, sort="department"),
        Column(gettext_lazy("Items"), item_labels),
        Column(gettext_lazy("People"), lambda o: o.individuals, sort="individuals"),
        Column(gettext_lazy("Flags"), flag_labels),
        Column(gettext_lazy("Last reviewed"), lambda o: o.last_reviewed, sort="last_reviewed"),
    ],
    search=["name", "description", "department", "storage_location"],
    filters=[
        Filter(
            "special_care", gettext_lazy("Special-care"), YES, lambda qs, v: qs.filter(has_special_care=True)
        ),
        Filter("my_number", gettext_lazy("My Number"), YES, lambda qs, v: qs.filter(has_my_number=True)),
        Filter("financial", gettext_lazy("Financial"), YES, lambda qs, v: qs.filter(has_financial=True)),
    ],
    detail_template="ledger/detail.html",
    importable=True,
    detail_context=_detail,
    export_fields=[
        ("名称", lambda o: o.name),
        ("説明", lambda o: o.description),
        ("管理部署", lambda o: o.department),
        ("項目", item_labels),
        ("本人の数", lambda o: o.individuals),
        ("推計", lambda o: o.individuals_estimated),
        ("利用目的", lambda o: o.purposes),
        ("利用目的の通知・公表", lambda o: o.get_disclosure_display()),
        ("保管形態", lambda o: o.get_storage_kind_display()),
        ("保管場所", lambda o: o.storage_location),
        ("アクセスできる者", lambda o: o.access),
        ("高度な暗号化", lambda o: o.highly_encrypted),
        ("保存期間", lambda o: o.retention),
        ("削除ルール", lambda o: o.deletion_rule),
        ("最終見直し日", lambda o: o.last_reviewed),
        ("区分", flag_labels),
    ],
)


@org_view(Perm.EDIT)
def from_file_view(request):
    """Create a data set from a file: the scanner fills items and count; the file is discarded."""
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if error := size_error(upload):
            form.add_error("file", error)
        else:
            try:
                asset = actions.create_from_scan(
                    request.org, form.cleaned_data["name"], upload, Actor.from_request(request)
                )
            except RuleError as exc:
                add_to_form(form, exc)
            else:
                messages.success(
                    request, _("The file was scanned and discarded; review the data set and complete it.")
                )
                return redirect("ledger:edit", asset.uuid)
    return render(request, "ledger/from_file.html", {"form": form})
