from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.ledger.forms import DataAssetForm, ScanUploadForm
from mamori.ledger.models import DataAsset
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.objects import run_hooks
from mamori.platform.tenancy.scoping import org_view
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
    return {"item_text": item_labels(obj), "flag_text": flag_labels(obj)}


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
    from mamori.scan import scan_paths

    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if error := size_error(upload):
            form.add_error("file", error)
        else:
            suffix = Path(upload.name).suffix.lower()[:10]
            with tempfile.TemporaryDirectory(prefix="mamori-upload-") as tmp:
                target = Path(tmp) / f"upload{suffix}"
                with target.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = scan_paths([target])
            summary = result["summary"]
            errors = [f["error"] for f in result["files"] if f["error"]]
            if errors and not summary["rows"]:
                form.add_error("file", errors[0])
            else:
                items = sorted(k for k in summary["types"] if k in ITEM_LABELS)
                with transaction.atomic():
                    asset = DataAsset(
                        organization=request.org,
                        name=form.cleaned_data["name"],
                        items=items,
                        special_care=summary["special_care"],
                        individuals=summary["individuals"],
                        individuals_estimated=False,
                        scan_summary={"file": upload.name[:200], **summary},
                    )
                    asset.save()
                    run_hooks(asset, deleted=False)
                messages.success(
                    request, _("The file was scanned and discarded; review the data set and complete it.")
                )
                return redirect("ledger:edit", asset.uuid)
    return render(request, "ledger/from_file.html", {"form": form})
