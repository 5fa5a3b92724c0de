"""The response checklist: the guideline's steps, the duties the verdict gives, and cause playbooks.

Pure Python: :func:`checklist` takes the engine's result and a few facts and returns every task it
knows, each with whether it applies now and, when it does not, why (shared/domain/appi.md §4–§6).
A task that applied before and no longer does is kept by the workspace and marked 不要 with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    key: str
    step: int
    title: str
    due: str  # aware | prelim_from | prelim_to | final | mn_prelim_to | mn_final
    applies: bool
    reason: str = ""  # why it does not apply (shown as 不要の理由)


# GL 3-5-2 (1)–(4) and what every case needs.
BASE = (
    ("contain", 1, "社内の責任者へ報告し、被害の拡大を防止する（ガイドライン3-5-2(1)）", "aware"),
    ("evidence", 1, "証拠（ログ・メール・媒体）を保全する", "aware"),
    ("investigate", 2, "事実関係を調査し、原因を究明する（ガイドライン3-5-2(2)）", "prelim_from"),
    ("scope", 3, "影響範囲（対象者・項目・件数）を特定する（ガイドライン3-5-2(3)）", "prelim_from"),
    ("prevent", 4, "再発防止策を検討し、実施する（ガイドライン3-5-2(4)）", "final"),
)

# Cause playbooks: cause-specific tasks (key, step, title, due).
CAUSE_TASKS: dict[str, tuple[tuple[str, int, str, str], ...]] = {
    "cyber": (
        ("isolate", 1, "感染・侵入した端末やサーバーをネットワークから隔離し、認証情報を変更する", "aware"),
        ("forensic", 2, "フォレンジック調査会社に調査を依頼する（ログの保全を含む）", "prelim_from"),
        ("police_cyber", 2, "警察（都道府県警察のサイバー犯罪相談窓口）へ相談・被害届を出す", "prelim_to"),
        ("insurer", 2, "サイバー保険等の保険会社へ事故を連絡する", "prelim_to"),
    ),
    "device": (
        ("police_lost", 1, "警察へ遺失届・盗難届（被害届）を出す", "aware"),
        ("remote_wipe", 1, "遠隔消去・アカウント停止・パスワード変更を行う", "aware"),
        ("insurer", 2, "保険会社へ事故を連絡する", "prelim_to"),
    ),
    "misdirected": (
        (
            "recipient_delete",
            1,
            "誤送付先へ連絡し、削除・返送を依頼して、削除したことを書面（メール）で確認する",
            "aware",
        ),
        ("send_check", 4, "送付前の宛先確認（ダブルチェック・添付の暗号化等）を見直す", "final"),
    ),
    "insider": (
        ("suspend_account", 1, "関係者のアカウントを停止し、持ち出し経路を遮断する", "aware"),
        (
            "police_insider",
            2,
            "警察へ相談・被害届を出す（不正競争防止法・個人情報データベース等提供罪）",
            "prelim_to",
        ),
        (
            "dispatch_agency",
            2,
            "派遣社員・委託先の従業者の場合は派遣元・委託先へ連絡し、調査への協力を求める",
            "prelim_from",
        ),
        ("broker_delete", 2, "名簿業者等の提供先へ削除・回収を求める", "prelim_to"),
    ),
    "skimming": (
        ("stop_form", 1, "改ざんされた入力フォーム・決済画面を停止する", "aware"),
        ("card_companies", 1, "カード会社（決済代行会社）へ連絡し、不正利用の監視を依頼する", "aware"),
        ("forensic", 2, "フォレンジック調査会社（PCI DSSの調査機関等）に調査を依頼する", "prelim_from"),
        ("police_cyber", 2, "警察（サイバー犯罪相談窓口）へ相談・被害届を出す", "prelim_to"),
    ),
    "vendor": (
        ("vendor_report", 1, "委託先へ事故報告書（発生日時・原因・影響範囲・対応）の提出を求める", "aware"),
        (
            "vendor_audit",
            4,
            "委託先の安全管理措置と再委託の状況を確認し、委託の継続を見直す（法25条）",
            "final",
        ),
    ),
    "disposal": (
        ("disposal_route", 2, "廃棄の経路と廃棄業者を確認し、廃棄証明・回収の可否を確かめる", "prelim_from"),
    ),
}
CAUSE_PLAYBOOK = {
    "unauthorized_access": "cyber",
    "malware": "cyber",
    "ransomware": "cyber",
    "loss": "device",
    "theft": "device",
    "misdirected_mail": "misdirected",
    "misdirected_email": "misdirected",
    "misdirected_fax": "misdirected",
    "insider": "insider",
    "web_skimming": "skimming",
    "vendor": "vendor",
    "disposal_error": "disposal",
}


def checklist(
    result: dict,
    *,
    cause: str | None,
    caused_by: str | None,
    role: str,
    regulator: str = "",
) -> list[Task]:
    """Every task with whether it applies for this result (the engine's JSON) and these facts."""
    verdict = (result.get("verdict") or {}).get("code")
    vendor = role == "vendor"
    route = result.get("vendor_route") or {}
    notified = bool(route.get("notified"))
    tasks = [Task(k, s, t, d, True) for k, s, t, d in BASE]

    playbook = CAUSE_PLAYBOOK.get(cause or "")
    chosen = list(CAUSE_TASKS.get(playbook or "", ()))
    if caused_by == "vendor" and playbook != "vendor":
        chosen += [e for e in CAUSE_TASKS["vendor"] if e[0] == "vendor_report"]
    for key, step, title, due in chosen:
        if not any(t.key == key for t in tasks):
            tasks.append(Task(key, step, title, due, True))
    for entries in CAUSE_TASKS.values():
        for key, step, title, due in entries:
            if not any(t.key == key for t in tasks):
                tasks.append(Task(key, step, title, due, False, "原因の区分が変わり、当たらなくなったため"))

    # The duties of the verdict (法26条, 規則8・10条) — or, as the vendor, the 規則9条 route.
    if verdict == "required" or verdict == "pending":
        why_not = ""
    else:
        why_not = "判定が「報告は不要」のため（経緯と判断理由は記録に残す）"
    if vendor:
        duty_applies = False
        duty_reason = (
            "委託元へ通知済のため、報告と本人通知の義務は委託元にある（規則9条）"
            if notified
            else "委託先は委託元へ通知する（規則9条）。通知すれば報告と本人通知の義務を免れる"
        )
    else:
        duty_applies = verdict in ("required", "pending")
        duty_reason = why_not
    pending = " ［判定保留中：報告対象として準備］" if verdict == "pending" and not vendor else ""
    for key, step, title, due in (
        ("ppc_preliminary", 5, "個人情報保護委員会へ速報する（規則8条1項）" + pending, "prelim_to"),
        ("ppc_final", 5, "個人情報保護委員会へ確報する（規則8条2項）" + pending, "final"),
        ("notify", 7, "本人へ通知する、または代替措置をとる（法26条2項、規則10条）" + pending, "prelim_to"),
        ("publish", 8, "事実関係と再発防止策を公表する（ガイドライン3-5-2）", "prelim_to"),
        ("call_centre", 6, "問合せ窓口（コールセンター）を設置する", "prelim_from"),
    ):
        tasks.append(Task(key, step, title, due, duty_applies, "" if duty_applies else duty_reason))
    if regulator:
        tasks.append(
            Task(
                "regulator",
                5,
                f"権限委任先（{regulator}）へ報告する（法150条、ガイドライン3-5-3-3、期限は同じ）",
                "prelim_to",
                duty_applies,
                "" if duty_applies else duty_reason,
            )
        )

    vendor_needed = vendor and verdict in ("required", "pending")
    tasks.append(
        Task(
            "notify_principal",
            5,
            "委託元へ規則8条1項の事項（判明している範囲）を速やかに通知する（規則9条、目安3〜5日）",
            "prelim_to",
            vendor_needed,
            "" if vendor_needed else ("委託元ではなく自社のデータのため" if not vendor else why_not),
        )
    )
    tasks.append(
        Task(
            "assist_principal",
            6,
            "委託元による報告・本人通知に協力する（ガイドライン3-5-3-5）",
            "final",
            vendor_needed,
            "" if vendor_needed else ("委託元ではなく自社のデータのため" if not vendor else why_not),
        )
    )
    claim = caused_by in ("vendor", "third_party")
    tasks.append(
        Task(
            "claim",
            9,
            "原因をつくった者（委託先等）への請求を検討する",
            "final",
            claim,
            "" if claim else "原因をつくった者が自社または不明のため",
        )
    )

    # 番号法29条の4: its own report and notice.
    act = result.get("my_number_act") or {}
    mn_code = (act.get("verdict") or {}).get("code")
    mn_applies = mn_code in ("required", "pending") and not (vendor and notified)
    mn_reason = (
        "特定個人情報（マイナンバー）を含まないため"
        if not act
        else (
            "委託元へ通知済のため（特定個人情報漏えい等報告規則4条）"
            if vendor and notified
            else "番号法の報告対象事態に当たらないため（報告は努力義務）"
        )
    )
    for key, step, title, due in (
        (
            "mn_preliminary",
            5,
            "番号法29条の4：委員会へ速報する（マイナンバーを含む事案の様式）（特定個人情報漏えい等報告規則3条1項）",
            "mn_prelim_to",
        ),
        ("mn_final", 5, "番号法29条の4：委員会へ確報する（特定個人情報漏えい等報告規則3条2項）", "mn_final"),
        (
            "mn_notify",
            7,
            "番号法29条の4第2項：本人へ通知する（特定個人情報漏えい等報告規則5条）",
            "mn_prelim_to",
        ),
    ):
        tasks.append(Task(key, step, title, due, mn_applies, "" if mn_applies else mn_reason))
    return tasks
