"""Refuse a hostile .xlsx before any spreadsheet library reads it.

A sheet whose dimension (``<dimension ref="A1:A99999999"/>``) or one cell reference
(``<c r="XFD99999999">``) claims a huge area makes readers allocate that area: a 5 KB file can
ask for hundreds of GiB. Here the worksheet XML is streamed out of the zip with expat (no tree,
no DTD, no entities) and every declared row and column is compared with a cap, so that nothing
larger than the caps is ever allocated. The messages are Japanese and quote no cell value."""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.parsers import expat

MiB = 1024 * 1024
CHUNK = MiB
# What a damaged archive raises from the standard library while it is opened or read.
ARCHIVE_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    IndexError,
    struct.error,
)
_REF = re.compile(r"^\$?([A-Za-z]{0,4})\$?(\d{0,12})$")


def _env_int(name: str, default: int) -> int:
    """A positive whole number from the environment (the scanner stays free of Django settings)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


class SheetTooLarge(Exception):
    """The workbook declares more rows or columns than allowed, or cannot be checked safely."""


@dataclass(frozen=True)
class SheetCaps:
    max_rows: int
    max_cols: int
    max_sheet_xml_bytes: int

    @classmethod
    def from_env(cls) -> SheetCaps:
        return cls(
            max_rows=_env_int("MAMORI_MAX_SHEET_ROWS", 1_000_000),
            max_cols=_env_int("MAMORI_MAX_SHEET_COLUMNS", 1_000),
            max_sheet_xml_bytes=_env_int("MAMORI_MAX_SHEET_XML_MB", 1024) * MiB,
        )


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ord(ch) - 64)
    return number


def _parse_ref(ref: str) -> tuple[int, int]:
    """(row, column) of one cell reference like ``B12`` (0 where a part is missing)."""
    match = _REF.match(ref.strip())
    if not match:
        raise SheetTooLarge("Excelファイルのセル番地が不正です（ファイルが壊れている可能性があります）")
    letters, digits = match.groups()
    return (int(digits) if digits else 0), (_column_number(letters) if letters else 0)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit("}", 1)[-1]


class _SheetChecker:
    def __init__(self, caps: SheetCaps, sheet: str):
        self.caps = caps
        self.sheet = sheet

    def check(self, row: int, col: int) -> None:
        if row > self.caps.max_rows:
            raise SheetTooLarge(
                f"Excelファイルのシート（{self.sheet}）の行数が上限（{self.caps.max_rows:,}行）を超えています。"
                "ファイルを分けてください"
            )
        if col > self.caps.max_cols:
            raise SheetTooLarge(
                f"Excelファイルのシート（{self.sheet}）の列数が上限（{self.caps.max_cols:,}列）を超えています。"
                "不要な列を削除してください"
            )

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "dimension":
            for part in attrs.get("ref", "").split(":"):
                if part:
                    self.check(*_parse_ref(part))
        elif tag == "row":
            r = attrs.get("r")
            if r:
                if not r.isdigit() or len(r) > 12:
                    raise SheetTooLarge(
                        "Excelファイルの行番号が不正です（ファイルが壊れている可能性があります）"
                    )
                self.check(int(r), 0)
        elif tag == "c":
            r = attrs.get("r")
            if r:
                self.check(*_parse_ref(r))


def _no_doctype(*_args) -> None:
    raise SheetTooLarge("Excelファイルに想定外の定義（DOCTYPE）が含まれています")


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, caps: SheetCaps) -> None:
    if info.file_size > caps.max_sheet_xml_bytes:
        raise SheetTooLarge(
            f"Excelファイルのシートが大きすぎます（展開後 {caps.max_sheet_xml_bytes // MiB} MiB まで）"
        )
    checker = _SheetChecker(caps, Path(info.filename).stem)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = checker.start
    read = 0
    try:
        with archive.open(info) as stream:
            first = True
            while chunk := stream.read(CHUNK):
                if first and not _looks_like_xml(chunk):
                    return  # an image or a binary part: no cells in it
                first = False
                read += len(chunk)
                if read > caps.max_sheet_xml_bytes:
                    raise SheetTooLarge(
                        f"Excelファイルのシートが大きすぎます（展開後 {caps.max_sheet_xml_bytes // MiB} MiB まで）"
                    )
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SheetTooLarge(
            "Excelファイルのシートを読めません（ファイルが壊れている可能性があります）"
        ) from exc
    except ARCHIVE_ERRORS as exc:
        raise SheetTooLarge(
            "Excelファイルを開けません（暗号化されているか、壊れている可能性があります）"
        ) from exc


def _looks_like_xml(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def check_xlsx(source: str | Path | IO[bytes], caps: SheetCaps | None = None) -> None:
    """Raise SheetTooLarge (Japanese message) unless every worksheet stays within the caps.

    ``source`` is a path or a seekable binary file (rewound afterwards when it is a file)."""
    caps = caps or SheetCaps.from_env()
    position = None if isinstance(source, str | Path) else source.tell()
    try:
        try:
            archive = zipfile.ZipFile(source)
        except ARCHIVE_ERRORS as exc:
            raise SheetTooLarge(
                "Excelファイルとして読めません（ファイルが壊れている可能性があります）"
            ) from exc
        with archive:
            for info in archive.infolist():
                # Every XML part, not only xl/worksheets/: the workbook's relations may name a
                # sheet anywhere in the archive.
                if not info.filename.endswith("/"):  # is_dir() fails on an empty name
                    _check_member(archive, info, caps)
    finally:
        if position is not None and not isinstance(source, str | Path):
            source.seek(position)
