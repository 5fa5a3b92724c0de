"""A company's own check sheet as companies really make them, built with openpyxl: a cover sheet
first; on the questions sheet three title rows, then the header (大項目 / 中項目 / No. / 確認項目 /
回答（○・△・×・－）/ 配点 / a hidden helper column / 備考); 大項目 merged over its rows; the
answer cells with a ○/△/×/－ dropdown; a subtotal row, an empty row, a hidden (withdrawn) row;
a footer with the total and a note. 19 questions in 4 sections (:data:`EXPECTED`)."""

from __future__ import annotations

import io

SECTIONS = [
    (
        "組織的安全管理措置",
        [
            ("規程", "個人情報の取扱規程を定め、従業者に周知していますか。", 2, "規程名を備考に記入"),
            ("規程", "当社から預かった個人データを目的外に利用しない旨を定めていますか。", 3, ""),
            ("体制", "個人情報保護の責任者を選任していますか。", 2, ""),
            ("体制", "漏えい等が発生したときの報告連絡体制を整備していますか。", 3, "連絡先一覧の有無"),
            ("体制", "取扱状況を定期的に点検していますか。", 1, ""),
        ],
    ),
    (
        "人的安全管理措置",
        [
            ("教育", "従業者に個人情報保護の教育を年1回以上実施していますか。", 2, ""),
            ("教育", "新規採用者に入社時の教育を実施していますか。", 1, ""),
            ("誓約", "従業者から秘密保持の誓約書を取得していますか。", 2, ""),
            ("誓約", "退職者に退職後の秘密保持を誓約させていますか。", 1, ""),
        ],
    ),
    (
        "物理的安全管理措置",
        [
            ("区域", "個人データを取り扱う区域への入退室を管理していますか。", 2, ""),
            ("区域", "書類・媒体を施錠できる場所に保管していますか。", 1, ""),
            ("機器", "ノートPC等の盗難防止策（ワイヤーロック等）を講じていますか。", 1, ""),
            ("廃棄", "個人データの廃棄時に復元不可能な方法で消去していますか。", 3, "消去証明書の有無"),
            ("廃棄", "廃棄の記録を残していますか。", 1, ""),
        ],
    ),
    (
        "技術的安全管理措置",
        [
            ("アクセス", "個人データへのアクセス権限を必要最小限にしていますか。", 3, ""),
            ("アクセス", "ID・パスワードを共用せず、個人ごとに付与していますか。", 2, ""),
            ("防御", "ウイルス対策ソフトを導入し、定義ファイルを最新にしていますか。", 2, ""),
            ("防御", "OS・ソフトウェアのセキュリティ更新を適用していますか。", 2, ""),
            ("暗号化", "個人データを送受信するときに暗号化していますか。", 3, "方式を備考に記入"),
        ],
    ),
]

EXPECTED = [
    (title, [(text, float(weight), guidance, sub) for sub, text, weight, guidance in rows])
    for title, rows in SECTIONS
]
QUESTION_COUNT = sum(len(rows) for _t, rows in SECTIONS)  # 19
SHEET_NAME = "チェックシート"
HEADER_ROW = 4


def company_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    cover = wb.active
    cover.title = "表紙"
    cover["B2"] = "委託先における個人情報の取扱状況確認書"
    cover["B2"].font = Font(size=16, bold=True)
    cover["B4"] = "委託先名"
    cover["B5"] = "記入日"
    cover["B6"] = "記入者"
    cover["B8"] = (
        "回答欄には ○：実施している △：一部実施している ×：実施していない －：該当なし を選択してください。"
    )

    ws = wb.create_sheet(SHEET_NAME)
    ws["A1"] = "個人情報の取扱いに関する委託先チェックシート（2026年度）"
    ws.merge_cells("A1:H1")
    ws["A2"] = "委託先名：　　　　　　　　　記入日：　　年　　月　　日"
    ws["A3"] = "※回答欄はプルダウンから選択してください。配点は当社の評価に用います。"
    headers = ["大項目", "中項目", "No.", "確認項目", "回答（○・△・×・－）", "配点", "点数（計算用）", "備考"]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=HEADER_ROW, column=c, value=h).font = Font(bold=True)
    ws.column_dimensions["G"].hidden = True  # the helper column the company's formulas use
    answers = DataValidation(type="list", formula1='"○,△,×,－"', allow_blank=True)
    ws.add_data_validation(answers)

    row = HEADER_ROW + 1
    number = 0
    for s, (title, rows) in enumerate(SECTIONS):
        first = row
        for sub, text, weight, guidance in rows:
            number += 1
            ws.cell(row=row, column=2, value=sub)
            ws.cell(row=row, column=3, value=number)
            ws.cell(row=row, column=4, value=text)
            ws.cell(row=row, column=6, value=weight)
            ws.cell(row=row, column=7, value=f'=IF(E{row}="○",F{row},IF(E{row}="△",F{row}/2,0))')
            ws.cell(row=row, column=8, value=guidance or None)
            answers.add(f"E{row}")
            row += 1
            if s == 1 and sub == "教育" and text.startswith("新規"):
                # a withdrawn question, hidden rather than deleted
                ws.cell(row=row, column=2, value="教育")
                ws.cell(row=row, column=4, value="（廃止）年2回の教育を実施していますか。")
                ws.cell(row=row, column=6, value=1)
                ws.row_dimensions[row].hidden = True
                row += 1
        ws.cell(row=first, column=1, value=title)
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        if s == 0:
            ws.cell(row=row, column=4, value="小計")
            ws.cell(row=row, column=6, value=f"=SUM(F{first}:F{row - 1})")
            row += 1
        if s == 2:
            row += 1  # an empty row between sections
    ws.cell(row=row, column=1, value="合計")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    ws.cell(row=row, column=6, value=f"=SUM(F{HEADER_ROW + 1}:F{row - 1})")
    ws.cell(
        row=row + 2,
        column=1,
        value="※ご回答ありがとうございました。ご不明点は担当者までお問い合わせください。",
    )
    ws.cell(row=row + 3, column=1, value="確認者：")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
