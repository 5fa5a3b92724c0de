"""Spreadsheet cells and tables (Excel / CSV bytes), with formulas neutralised. No trail, no pages:
any module can use it (the trail's own export, the import templates, the page exports).

Formulas are neutralised when a file is written, never when one is read: an Excel cell that begins
with = + - @ is written as text (a string cell with Excel's quote prefix, so the value stays what
was stored and reads back unchanged), a CSV field gets a leading quote (CSV has no cell types).
An import keeps what the user typed (a question "=SUM(A1)" or "-5 点" is stored as such)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Cells beginning with = + - @ would run as formulas in Excel: prefix them with a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def text_cell(ws, value):
    """``value`` for ``ws.append``: a formula-looking string becomes a string cell with the quote
    prefix (never a formula; Excel shows the text and keeps it text when edited)."""
    if not looks_like_formula(value):
        return value
    from openpyxl.cell.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value=value)
    c.data_type = "s"
    c.quotePrefix = True
    return c


def append_row(ws, values) -> None:
    """Append ``values`` to a worksheet (write-only or not) with no formula among them."""
    ws.append([text_cell(ws, v) for v in values])


def cell(value):
    """A value as a spreadsheet cell shows it (also how an import reads a cell: not neutralised,
    :func:`table_bytes` does that when writing)."""
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
    return str(value)


def table_bytes(rows: list[list], headers: list[str], fmt: str, sheet: str = "data") -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in headers])
        writer.writerows([neutralise(v) for v in row] for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet[:31])
    append_row(ws, headers)
    for row in rows:
        append_row(ws, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
