"""The sample organization's response plan and a past drill (called by :mod:`mamori.demo`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mamori.platform import actor as trail
from mamori.preparedness import actions
from mamori.preparedness.models import Drill, PlanContact

CONTACTS = [
    ("lawyer", "さくら総合法律事務所", "山本 弁護士", "03-5200-1234", "yamamoto@sakura-law.example.jp"),
    ("forensic", "株式会社デジタルフォレンジック東京", "緊急対応窓口", "0120-111-222", ""),
    ("insurer", "東和損害保険株式会社（サイバー保険）", "事故受付センター", "0120-333-444", ""),
    ("card_company", "株式会社クラウドペイメント（決済代行）", "セキュリティ窓口", "03-6400-5678", ""),
    ("police", "警視庁 サイバー犯罪対策課", "", "03-3581-4321", ""),
    ("ppc", "個人情報保護委員会", "漏えい等報告の受付", "03-6457-9849", ""),
    ("regulator", "経済産業省（所管省庁）", "", "03-3501-1511", ""),
    ("call_centre", "株式会社コールリンク沖縄", "臨時窓口の立ち上げ担当", "098-800-1234", ""),
    ("other", "広報代理店 株式会社メディアブリッジ", "危機対応チーム", "03-4500-9876", ""),
]


def seed(org, today: dt.date, actor: trail.Actor) -> None:
    with trail.acting_as(actor):
        plan = actions.plan_for(org)
        plan.decision_maker = "管理本部長 高橋 誠"
        plan.deputy = "情報システム課長 中村 健"
        plan.internal_reporting = (
            "漏えいのおそれに気づいた従業者は直ちに上長と個人情報保護責任者（管理本部長）に電話で報告する。"
        )
        plan.call_centre = "コールリンク沖縄に臨時窓口（フリーダイヤル、20席、平日9–20時）を48時間以内に開設。Q&Aは事前承認のひな形を使う。"
        plan.approved_wording = (
            "このたび、当社が管理する個人情報の一部が外部に流出したおそれがあることが判明しました。"
            "お客様には多大なるご迷惑とご心配をおかけしますことを、深くお詫び申し上げます。"
        )
        plan.approved_by = "代表取締役 佐藤 美穂"
        plan.approved_on = today - dt.timedelta(days=200)
        plan.handles_card_data = True
        plan.delegated_sector = False
        plan.reviewed_on = today - dt.timedelta(days=30)
        plan.save()
        for role, name, person, phone, email in CONTACTS:
            PlanContact.objects.create(
                organization=org,
                plan=plan,
                role=role,
                name=name,
                person=person,
                phone=phone,
                email=email,
                notes="24時間対応" if role in ("forensic", "insurer") else "",
            )


def seed_drills(org, today: dt.date, actor: trail.Actor) -> None:
    from mamori.incidents.models import Incident

    past = Incident.objects.for_org(org).order_by("aware_on").first()
    with trail.acting_as(actor):
        done = Drill.objects.create(
            organization=org,
            title="ランサムウェア感染を想定した机上訓練",
            sample="ransomware",
            held_on=today - dt.timedelta(days=60),
            participants="管理本部長、情報システム課長、カスタマーサポート主任",
        )
        actions.generate(done, actor)
        actions.start(done, actor)
        done.started_at = timezone.now() - dt.timedelta(days=60, minutes=135)
        done.save(update_fields=["started_at"])
        actions.finish(
            done,
            {
                "1": "管理本部長に電話。受注サーバーをネットワークから切り離す。",
                "3": "報告対象（不正の目的）。確報は60日以内。",
            },
            [
                "保険会社の事故受付番号が計画に載っていなかった",
                "コールセンターの開設手順に発注書のひな形がない",
            ],
            actor,
        )
        Drill.objects.create(
            organization=org,
            title="誤送信を想定した机上訓練（予定）",
            sample="misdirected_email",
            held_on=today + dt.timedelta(days=30),
            participants="営業部、カスタマーサポート",
        )
        running = Drill.objects.create(
            organization=org, title="委託先のマルウェア感染（実施中）", incident=past, held_on=today
        )
        actions.generate(running, actor)
        actions.start(running, actor)
