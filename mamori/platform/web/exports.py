"""Excel and CSV exports of any list, with spreadsheet formulas neutralised and the export trailed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mamori.platform.tables import XLSX, cell, neutralise, table_bytes
from mamori.platform.trail import services as trail
from mamori.platform.trail.models import Action

__all__ = ["XLSX", "cell", "neutralise", "report_subtitle", "respond", "table_bytes"]


def report_subtitle(request) -> str:
    """「株式会社さくら通販 ・ 2026年11月25日 出力」: who the export is of and when it was made."""
    return _("%(org)s · exported %(date)s") % {
        "org": request.org.name,
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
    }


def respond(request, queryset, fields, name: str, fmt: str, title: str | None = None) -> HttpResponse:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    rows = [[cell(getter(obj)) for _label, getter in fields] for obj in queryset.iterator(chunk_size=2000)]
    data = table_bytes(
        rows,
        [str(label) for label, _g in fields],
        fmt,
        str(title or name),
        title=str(title or name),
        subtitle=report_subtitle(request),
    )
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
