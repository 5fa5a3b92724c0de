"""Excel and CSV exports of any list, with spreadsheet formulas neutralised and the export trailed."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.http import Http404, HttpResponse
from django.utils import timezone

from mamori.trail import services as trail
from mamori.trail.models import Action

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Cells beginning with = + - @ would run as formulas in Excel: prefix them with a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def table_bytes(rows: list[list], headers: list[str], fmt: str, sheet: str = "data") -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet[:31])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
