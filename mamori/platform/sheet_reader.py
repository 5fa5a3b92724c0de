"""The layout of an uploaded workbook as plain data, read in the isolated child
(:func:`mamori.platform.isolation.run_isolated`): every worksheet's cell text, its hidden rows and
columns, its merged ranges and its list data validations (the dropdowns), so that a pure function
can find a table in a sheet made for people (title rows, merged cells, a hidden helper column).

No Django here; the errors are :class:`mamori.platform.table_reader.ReadError` codes, which the
caller words in the reader's language. A CSV file becomes one sheet without any layout.
"""

from __future__ import annotations

import re
from typing import Any

from mamori.platform.table_reader import ReadError, _text, read_table

MAX_COLUMNS = 60  # a question sheet is never wider; anything to the right is ignored
MAX_LIST = 50  # values of one dropdown list


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """0-based (first row, first column, last row, last column) of ``A1:B2``, ``$A$1`` or ``A:A``."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except (ValueError, TypeError):
        return None
    return (min_row or 1) - 1, (min_col or 1) - 1, (max_row or 1_048_576) - 1, (max_col or 16_384) - 1


def _list_values(workbook, sheet, formula: str | None) -> list[str]:
    """The values a list validation offers: an inline list (``"○,△,×"``), a range of this or
    another sheet (``$H$2:$H$5``, ``'選択肢'!$A$1:$A$4``) or a defined name."""
    if not formula:
        return []
    formula = formula.strip().lstrip("=")
    if formula.startswith('"'):
        return [v.strip() for v in formula.strip('"').split(",") if v.strip()][:MAX_LIST]
    target_sheet, ref = sheet, formula
    if formula in getattr(workbook, "defined_names", {}):
        try:
            destinations = list(workbook.defined_names[formula].destinations)
        except Exception:
            return []
        if not destinations:
            return []
        title, ref = destinations[0]
        target_sheet = workbook[title] if title in workbook.sheetnames else None
    elif "!" in formula:
        title, ref = formula.rsplit("!", 1)
        title = title.strip("'").replace("''", "'")
        target_sheet = workbook[title] if title in workbook.sheetnames else None
    if target_sheet is None or not re.fullmatch(r"\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?", ref):
        return []
    bounds = _bounds(ref)
    if bounds is None:
        return []
    r1, c1, r2, c2 = bounds
    values = []
    for row in target_sheet.iter_rows(
        min_row=r1 + 1, max_row=min(r2, r1 + MAX_LIST) + 1, min_col=c1 + 1, max_col=min(c2, c1 + 5) + 1
    ):
        for cell in row:
            text = _text(cell.value).strip()
            if text:
                values.append(text)
    return values[:MAX_LIST]


def _sheet(workbook, ws, max_rows: int) -> dict[str, Any]:
    rows: list[list[str]] = []
    filled = 0
    last = 0
    for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        texts = [_text(v) for v in row]
        rows.append(texts)
        if any(t.strip() for t in texts):
            filled += 1
            last = len(rows)
            if filled > max_rows + 30:  # title rows and a header above the questions
                raise ReadError("too_many_rows", {"max": max_rows})
    rows = rows[:last]
    width = max((len(r) for r in rows), default=0)
    hidden_cols: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            hidden_cols.update(range(dim.min - 1, min(dim.max or dim.min, MAX_COLUMNS)))
    hidden_rows = sorted(
        r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and isinstance(r, int) and r <= len(rows)
    )
    merged = [
        [m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1]
        for m in ws.merged_cells.ranges
        if m.min_row <= len(rows) and m.min_col <= MAX_COLUMNS
    ]
    validations = []
    for dv in getattr(ws.data_validations, "dataValidation", []):
        if dv.type != "list":
            continue
        values = _list_values(workbook, ws, dv.formula1)
        if not values:
            continue
        ranges = []
        for cell_range in dv.sqref.ranges:
            bounds = _bounds(cell_range.coord)
            if bounds:
                ranges.append(list(bounds))
        if ranges:
            validations.append({"ranges": ranges, "values": values})
    return {
        "title": ws.title,
        "state": ws.sheet_state,
        "rows": [r + [""] * (width - len(r)) for r in rows],
        "hidden_rows": hidden_rows,
        "hidden_cols": sorted(c for c in hidden_cols if c < width),
        "merged": merged,
        "validations": validations,
    }


def read_workbook(path: str, name: str, max_rows: int) -> dict[str, Any]:
    """``{"sheets": [...]}``: every worksheet of an .xlsx with its layout, or a CSV as one sheet."""
    lowered = name.lower()
    if lowered.endswith((".csv", ".txt")):
        rows = read_table(path, name, max_rows)
        width = max((len(r) for r in rows), default=0)
        return {
            "sheets": [
                {
                    "title": name.rsplit(".", 1)[0][:100] or "CSV",
                    "state": "visible",
                    "rows": [[str(c) for c in r[:MAX_COLUMNS]] + [""] * (width - len(r)) for r in rows],
                    "hidden_rows": [],
                    "hidden_cols": [],
                    "merged": [],
                    "validations": [],
                }
            ]
        }
    if not lowered.endswith(".xlsx"):
        raise ReadError("format")
    from openpyxl import load_workbook

    from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

    try:
        with open(path, "rb") as handle:
            check_xlsx(handle)
    except SheetTooLarge as exc:
        raise ReadError("text", {"text": str(exc)}) from None
    try:
        # Not read-only: merged ranges, hidden columns and validations are only read this way;
        # the size was checked above and the child's memory is capped.
        workbook = load_workbook(path, data_only=True)
    except Exception:
        raise ReadError("xlsx") from None
    try:
        return {"sheets": [_sheet(workbook, ws, max_rows) for ws in workbook.worksheets]}
    finally:
        workbook.close()
