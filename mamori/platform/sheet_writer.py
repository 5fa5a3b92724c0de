"""Answers written into a workbook someone else made, the rest of it kept as it is: run in the
isolated child (:func:`mamori.platform.isolation.run_isolated`) like the reader.

Every value is written as text. A value that Excel or a CSV export could take for a formula (one
that starts with ``=``, ``+``, ``-`` or ``@`` and is longer than the symbol itself) is neutralised
with a leading apostrophe. Merged cells other than a range's first cell are left alone.
"""

from __future__ import annotations

import io

DANGEROUS = ("=", "+", "-", "@")


class WriteError(Exception):
    """``code``: ``no_sheet`` (the worksheet is gone) or ``unreadable``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def neutralise(text: str) -> str:
    text = str(text).replace("\x00", "")
    if len(text) > 1 and text.lstrip().startswith(DANGEROUS):
        return "'" + text
    return text


def write_cells(path: str, sheet: str, cells: list[tuple[int, int, str, bool]]) -> bytes:
    """The workbook at ``path`` with ``cells`` (1-based row, 0-based column, text, only into an
    empty cell) written on ``sheet``; the bytes of the saved workbook."""
    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    try:
        wb = load_workbook(path)
    except Exception as exc:  # a damaged or disguised file
        raise WriteError("unreadable") from exc
    if sheet not in wb.sheetnames:
        raise WriteError("no_sheet")
    ws = wb[sheet]
    for row, col, text, only_empty in cells:
        cell = ws.cell(row=row, column=col + 1)
        if isinstance(cell, MergedCell) or (only_empty and cell.value not in (None, "")):
            continue
        cell.value = neutralise(text)
        cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
