"""Rows of text from an uploaded .xlsx or .csv, read in the isolated child
(:func:`mamori.platform.isolation.run_isolated`): no Django here, the errors are codes that the
caller words in the reader's language (:class:`ReadError`)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path


class ReadError(Exception):
    """``code`` says what went wrong, ``params`` what the message needs (``text``: already worded)."""

    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code, params or {})
        self.code, self.params = code, params or {}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _capped(rows, max_rows: int) -> list[list[str]]:
    """The rows, refused as soon as there are more than ``max_rows`` non-empty rows after the header."""
    out: list[list[str]] = []
    filled = 0
    for row in rows:
        out.append(row)
        if any(str(c).strip() for c in row):
            filled += 1
            if filled > max_rows + 1:
                raise ReadError("too_many_rows", {"max": max_rows})
    return out


def _csv_rows(handle):
    """CSV rows, strictly: a quote opened and never closed is an error naming the line it opened
    on (``unclosed_quote``), not a cell swallowing the rest of the file; another malformed quote
    names its line (``csv_line``)."""
    reader = csv.reader(handle, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise ReadError("unclosed_quote", {"line": start}) from None
            raise ReadError("csv_line", {"line": reader.line_num}) from None
        yield row
        start = reader.line_num + 1


def read_table(path: str, name: str, max_rows: int) -> list[list[str]]:
    """The first sheet of an .xlsx, or a CSV (UTF-8 with or without BOM, CP932, EUC-JP)."""
    from mamori.scan.readers import ScanError, detect_encoding
    from mamori.scan.xlsx_guard import SheetTooLarge, check_xlsx

    name = name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            with open(path, "rb") as handle:
                check_xlsx(handle)
        except SheetTooLarge as exc:
            raise ReadError("text", {"text": str(exc)}) from None
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception:
            raise ReadError("xlsx") from None
        try:
            return _capped(([_text(v) for v in row] for row in sheet.iter_rows(values_only=True)), max_rows)
        finally:
            workbook.close()
    if name.endswith((".csv", ".txt")):
        try:
            encoding = detect_encoding(Path(path))
        except ScanError as exc:
            raise ReadError("text", {"text": str(exc)}) from None
        try:
            with open(path, encoding=encoding, newline="") as handle:
                return _capped(_csv_rows(handle), max_rows)
        except UnicodeDecodeError:
            raise ReadError("encoding", {"enc": encoding}) from None
        except csv.Error:
            raise ReadError("csv") from None
    raise ReadError("format")
