"""The sample organization's answer library: seeded from its self-assessment, one certificate as
evidence, and one principal's sheet (a small one in the principal's own layout) answered from it."""

from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mamori.answerlib import actions
from mamori.answerlib.models import EvidenceFile, IncomingSheet, LibraryAnswer, Source
from mamori.core.checksheets import sheet_import
from mamori.platform.sheet_reader import read_workbook
from mamori.platform.web.files import sha256_of

PRINCIPAL_QUESTIONS = [
    "個人情報保護方針を策定し、従業員に周知していますか。",
    "個人情報の管理責任者を任命していますか。",
    "従業員に対して情報セキュリティ教育を毎年実施していますか。",
    "退職者のアカウントを速やかに削除していますか。",
    "全ての端末にウイルス対策ソフトを導入していますか。",
    "バックアップを定期的に取得していますか。",
    "情報漏洩事故が発生した場合、24時間以内に弊社へ報告できますか。",
    "Pマーク又はISMSを取得していますか。",
]


@functools.cache  # one file for every sample organization (the bytes carry the time of saving)
def principal_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "確認シート"
    ws["A1"] = "委託先セキュリティ確認シート（株式会社みどり商事）"
    for c, h in enumerate(["No.", "確認内容", "回答（○・△・×・－）", "備考"], start=1):
        ws.cell(row=3, column=c, value=h)
    dv = DataValidation(type="list", formula1='"○,△,×,－"', allow_blank=True)
    ws.add_data_validation(dv)
    for i, text in enumerate(PRINCIPAL_QUESTIONS, start=1):
        ws.cell(row=3 + i, column=1, value=i)
        ws.cell(row=3 + i, column=2, value=text)
        dv.add(f"C{3 + i}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _evidence(org, answer, name: str, valid_until: dt.date, ended_on: dt.date | None = None) -> None:
    upload = SimpleUploadedFile(name, f"%PDF-1.4\n% {name}\n".encode())
    f = EvidenceFile(
        organization=org,
        answer=answer,
        name=name,
        sha256=sha256_of(upload),
        valid_until=valid_until,
        ended_on=ended_on,
    )
    f.file.save(name, upload, save=False)
    f.save()


def sample(org, today: dt.date) -> None:
    actions.seed(org)
    cert = LibraryAnswer.objects.for_org(org).get(key="c1")
    cert.value, cert.remark = "yes", "プライバシーマーク（登録番号は登録証のとおり）"
    cert.valid_until = dt.date(today.year + 1, 9, 30)
    cert.confirmed_on = today - dt.timedelta(days=20)
    cert.save()
    _evidence(
        org,
        cert,
        "プライバシーマーク登録証_2025.pdf",
        dt.date(today.year - 1, 9, 30),
        today - dt.timedelta(days=60),
    )
    _evidence(org, cert, "プライバシーマーク登録証.pdf", cert.valid_until)
    # Questions principals ask that the standard set does not have, added by us; one replaced.
    LibraryAnswer.objects.create(
        organization=org,
        key="own1",
        section="働き方",
        question="在宅勤務（テレワーク）で個人データを扱う場合のルールを定めていますか。",
        value="partial",
        remark="在宅勤務規程あり。個人データの持出しは原則禁止（例外は上長承認）。",
        source=Source.OWN,
        confirmed_on=today - dt.timedelta(days=40),
    )
    LibraryAnswer.objects.create(
        organization=org,
        key="own0",
        section="働き方",
        question="在宅勤務を認めていますか。",
        value="yes",
        source=Source.OWN,
        ended_on=today - dt.timedelta(days=40),
    )

    content = principal_workbook()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "principal.xlsx"
        path.write_bytes(content)
        book = read_workbook(str(path), path.name, 500)
    p = sheet_import.preview(book)
    upload = SimpleUploadedFile("みどり商事_委託先確認シート.xlsx", content)
    sheet = IncomingSheet(
        organization=org,
        name="株式会社みどり商事 委託先確認シート",
        file_name=upload.name,
        sha256=sha256_of(upload),
        sheet=p.sheet,
        header_row=p.header_row or 1,
        answer_column=p.mapping["answer"],
        remark_column=p.mapping.get("guidance"),
        symbols=list(p.answer_symbols or []),
        rows=actions.propose_rows(org, actions.questions_of(p)),
    )
    sheet.exported_at = timezone.now()  # answered and sent back already
    sheet.file.save(upload.name, upload, save=False)
    sheet.save()
