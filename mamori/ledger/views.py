from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from mamori.ledger import actions
from mamori.ledger.forms import DataAssetForm, ScanUploadForm
from mamori.ledger.models import DataAsset
from mamori.ledger.resources import DATA_ASSET, flag_labels, item_labels
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.web import jobs
from mamori.platform.web.crud import Filter, Resource
from mamori.platform.web.files import size_error

YES = [("1", gettext_lazy("Yes"))]


def _detail(request, obj):
    # 項目 is shown once, combined (items, special-care categories, other items): not again field by field.
    combined = [
        str(DataAsset._meta.get_field(n).verbose_name) for n in ("items", "special_care", "other_items")
    ]
    return {"item_text": item_labels(obj), "flag_text": flag_labels(obj), "combined_labels": combined}


resource = Resource(
    name="ledger",
    model=DataAsset,
    form_class=DataAssetForm,
    label=gettext_lazy("Personal-data ledger"),
    singular=gettext_lazy("data set"),
    columns=DATA_ASSET.list_columns("name", "department", "items", "individuals", "flags", "last_reviewed"),
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
    export_fields=DATA_ASSET.export_fields(),
)


@org_view(Perm.EDIT)
def from_file_view(request):
    """Create a data set from a file: the worker scans it (items and count); the file is discarded.
    With ``?job=`` (a scan that failed), the form shows why next to the file field."""
    if request.method == "POST":
        form = ScanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if error := size_error(upload):
                form.add_error("file", error)
            else:
                job = jobs.start(request, actions.SCAN_JOB, upload, {"name": form.cleaned_data["name"]})
                return redirect("web:job", job.uuid)
    else:
        failed = jobs.failed_job(request)
        form = ScanUploadForm(initial={"name": failed.params.get("name", "")} if failed else None)
        if failed:
            form.errors["file"] = form.error_class([failed.message])
    return render(request, "ledger/from_file.html", {"form": form})
