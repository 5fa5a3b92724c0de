"""A principal's check sheet in a layout and wording of its own (not Mamori's built-in sheets),
written by hand for the answer library's measure: a cover sheet; on the sheet 「セキュリティ確認」
two title rows, then the header (項番 / 分野 / 質問内容 / 回答 / 備考) on row 4; the answer cell a
dropdown 適合・一部適合・不適合・対象外; 40 questions about the topics of the built-in sheets asked
in other words, each with the library key(s) that answer it (:data:`QUESTIONS`).

The expected keys are the built-in standard sheet's (p1 … c1) or, for topics only the
self-assessment covers, the self-assessment's (n4, n6, v1 …)."""

from __future__ import annotations

import io

SHEET_NAME = "セキュリティ確認"
HEADER_ROW = 4
ANSWER_COLUMN = "D"
REMARK_COLUMN = "E"

# (分野, question, acceptable library keys)
QUESTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("方針", "プライバシーポリシー（個人情報保護方針）を策定し、社員に知らせていますか。", ("p1", "m1")),
    ("方針", "個人情報を取得してから廃棄するまでの取扱いルールを文書化していますか。", ("p2",)),
    (
        "方針",
        "委託元から預かった個人情報を契約の目的以外に使わないことを社内ルールで定めていますか。",
        ("p3",),
    ),
    ("体制", "個人情報の管理責任者を任命していますか。", ("o1", "m2")),
    ("体制", "個人情報を扱う社員の範囲と役割分担は決まっていますか。", ("o2",)),
    ("体制", "情報漏洩やルール違反に気づいた場合の社内の報告ルートは決まっていますか。", ("o3", "m4")),
    ("体制", "個人情報の持出しや廃棄の状況を記録に残していますか。", ("o4", "d3")),
    ("体制", "個人情報の取扱いについて内部監査や自己点検を実施していますか。", ("o5",)),
    ("体制", "保有している個人情報の種類や件数、保管場所を一覧で管理していますか。", ("o6", "m3")),
    ("体制", "弊社のデータを他社のデータと分けて管理していますか。", ("o7",)),
    ("人", "従業員向けの個人情報保護研修を毎年実施していますか。", ("h1", "e1")),
    ("人", "従業員と守秘義務契約（NDA）を締結していますか。", ("h2", "e2")),
    ("人", "派遣社員やアルバイトが辞めるとき、貸与したPCや権限を返却させていますか。", ("h3",)),
    ("物理", "執務室やサーバールームへの入室を制限し、記録していますか。", ("f1",)),
    ("物理", "紙の書類や記録媒体は鍵のかかるキャビネットに保管していますか。", ("f2", "d2")),
    ("物理", "個人情報を社外に持ち出す際は暗号化やパスワードをかけていますか。", ("f3",)),
    ("物理", "不要になった個人情報は復元できないように消去し、その記録を残していますか。", ("f4", "d4")),
    ("物理", "画面ののぞき見を防ぐ対策（フィルター等）をしていますか。", ("f5",)),
    ("技術", "個人情報にアクセスできる人を業務上必要な人に限っていますか。", ("t1",)),
    ("技術", "システムへのログインに二要素認証を使っていますか。", ("t2", "n3")),
    ("技術", "ファイアウォールやUTMで社外からの不正な侵入を防いでいますか。", ("t3",)),
    ("技術", "全てのPCにアンチウイルスソフトを入れ、パッチを適用していますか。", ("t4", "n2", "n1")),
    ("技術", "システムの操作ログを保存し、定期的にチェックしていますか。", ("t5",)),
    ("技術", "データの保存時・通信時に暗号化していますか。", ("t6",)),
    ("技術", "データのバックアップを取り、リストアできることを確認していますか。", ("t7", "n5")),
    ("技術", "メールの誤送信を防ぐ仕組み（送信前確認や添付ファイル暗号化）がありますか。", ("t8", "d1")),
    ("技術", "退職者や異動者のIDはすぐに削除していますか。", ("t9", "e3")),
    ("技術", "社内の無線LANは暗号化し、ゲスト用ネットワークと分離していますか。", ("n4",)),
    ("技術", "クラウドストレージの共有範囲（公開リンク等）を定期的に見直していますか。", ("n6",)),
    ("海外", "海外で個人情報を扱う場合、その国の個人情報保護制度を確認していますか。", ("x1",)),
    ("海外", "利用しているクラウドのデータセンターがどの国にあるか把握していますか。", ("x2",)),
    ("委託", "弊社の業務を別の会社に再委託していますか。", ("r1",)),
    ("委託", "再委託の前に弊社の書面による承認を得ていますか。", ("r2",)),
    ("委託", "再委託先の安全管理を監督していますか。", ("r3",)),
    ("委託", "自社が業務を委託する先を選定するとき、セキュリティ対策を確認していますか。", ("v1",)),
    ("事故", "情報漏洩事故が起きたときの対応手順書がありますか。", ("i1",)),
    ("事故", "事故の可能性を把握したら24時間以内に弊社へ連絡できますか。", ("i2",)),
    ("事故", "この3年間に個人情報の漏洩事故を起こしたことがありますか。", ("i3",)),
    ("事故", "契約終了時に弊社のデータを返却・削除し、削除証明書を出せますか。", ("i4",)),
    ("認証", "Pマーク又はISMS認証を取得していますか。", ("c1",)),
]


def foreign_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    cover = wb.active
    cover.title = "ご案内"
    cover["A1"] = "業務委託先 情報セキュリティ調査票"
    cover["A1"].font = Font(size=14, bold=True)
    cover["A3"] = "=ご回答は「セキュリティ確認」シートにお願いします"  # text the export must not touch

    ws = wb.create_sheet(SHEET_NAME)
    ws["A1"] = "業務委託先 情報セキュリティ調査票（2026年度版）"
    ws.merge_cells("A1:E1")
    ws["A2"] = "回答欄は 適合／一部適合／不適合／対象外 から選択してください。"
    for c, h in enumerate(["項番", "分野", "質問内容", "回答", "備考"], start=1):
        ws.cell(row=HEADER_ROW, column=c, value=h).font = Font(bold=True)
    answers = DataValidation(type="list", formula1='"適合,一部適合,不適合,対象外"', allow_blank=True)
    ws.add_data_validation(answers)
    for i, (field, text, _keys) in enumerate(QUESTIONS, start=1):
        row = HEADER_ROW + i
        ws.cell(row=row, column=1, value=f"S-{i:02d}")
        ws.cell(row=row, column=2, value=field)
        ws.cell(row=row, column=3, value=text)
        answers.add(f"{ANSWER_COLUMN}{row}")
    ws.column_dimensions["C"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
