from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.ledger import actions
from mamori.ledger.forms import DataAssetForm, ScanUploadForm
from mamori.ledger.models import DataAsset
from mamori.ledger.resources import DATA_ASSET, flag_labels, item_labels
from mamori.platform.rules import RuleError, add_to_form
from mamori.platform.tenancy.models import Perm
from mamori.platform.tenancy.scoping import org_view
from mamori.platform.trail.services import Actor
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
