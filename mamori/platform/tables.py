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


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: East Asian wide characters count two."""
    import unicodedata

    text = str(value if value is not None else "")
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def strip_title_rows(rows: list[list]) -> list[list]:
    """Rows of a file exported with a title (:func:`table_bytes` with ``title``) as an import reads
    them: the leading rows holding one cell only (the title, the organization and date) are dropped
    when a later row has several, so an export can be edited and imported again."""
    for start in range(min(3, len(rows))):
        filled = [c for c in rows[start] if str(c if c is not None else "").strip()]
        if len(filled) > 1:
            return rows[start:]
    return rows


def table_bytes(
    rows: list[list],
    headers: list[str],
    fmt: str,
    sheet: str = "data",
    *,
    title: str | None = None,
    subtitle: str | None = None,
) -> bytes:
    """CSV or Excel bytes. With ``title`` (Excel only) the sheet reads as a report: the title and
    ``subtitle`` (the organization and the date) above a bold header row that stays frozen, an
    autofilter, columns as wide as their content and the title repeated on every printed page."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in headers])
        writer.writerows([neutralise(v) for v in row] for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if title is not None:
        return _report_bytes(rows, headers, sheet, title, subtitle or "")
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet[:31])
    append_row(ws, headers)
    for row in rows:
        append_row(ws, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _report_bytes(rows: list[list], headers: list[str], sheet: str, title: str, subtitle: str) -> bytes:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31] or "data"
    append_row(ws, [title])
    append_row(ws, [subtitle])
    append_row(ws, headers)
    for row in rows:
        append_row(ws, row)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(color="555555")
    line = Side(style="thin", color="999999")
    for c in ws[3]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E8EEF4")
        c.border = Border(bottom=line)
        c.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A4"
    if headers:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{len(rows) + 3}"
    for i, header in enumerate(headers, start=1):
        sample = [header, *(r[i - 1] for r in rows[:500] if i - 1 < len(r))]
        ws.column_dimensions[get_column_letter(i)].width = min(
            60, max(8, max(map(display_width, sample)) + 2)
        )
    # Printed: landscape, fitted to the page width, the header row on every page, the title in the header.
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = title.replace("&", "&&")
    ws.oddHeader.right.text = subtitle.replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
