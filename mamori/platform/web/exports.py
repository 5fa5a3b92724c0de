"""Excel and CSV exports of any list, with spreadsheet formulas neutralised and the export trailed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone

from mamori.platform.tables import XLSX, cell, neutralise, table_bytes
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action

__all__ = ["XLSX", "cell", "neutralise", "respond", "table_bytes"]


def respond(request, queryset, fields, name: str, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = [[cell(getter(obj)) for _label, getter in fields] for obj in queryset.iterator(chunk_size=2000)]
    data = table_bytes(rows, [str(label) for label, _g in fields], fmt, name)
    trail.record(
        org=request.org,
        actor=trail.Actor.from_request(request),
        action=Action.EXPORT,
        object_type=queryset.model._meta.label_lower,
        object_repr=f"{name}.{fmt} ({len(rows)})",
    )
    response = HttpResponse(data, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="mamori-{name}-{stamp}.{fmt}"'
    return response
