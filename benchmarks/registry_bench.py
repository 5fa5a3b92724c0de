"""Registry page speed: one organization with 5,000 vendors, 2,000 data sets and 20,000
entrustments; p50/p95 of the vendor list, a vendor page, the data-set list and the API vendor
list. Run once per database (`python -m benchmarks.registry_bench`, DATABASE_URL selects it)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import sys
import tempfile
import time

VENDORS, ASSETS, ENTRUSTMENTS = 5000, 2000, 20000
RUNS = 40


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["MAMORI_DATA_DIR"] = tempfile.mkdtemp(prefix="mamori-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", interactive=False, verbosity=0)
    from mamori.ledger.models import DataAsset
    from mamori.platform.accounts.actions import issue_token
    from mamori.platform.accounts.models import User
    from mamori.platform.tenancy.models import Membership, Organization
    from mamori.platform.trail.services import Actor
    from mamori.vendors.models import Entrustment, Vendor

    rng = random.Random(1)
    org = Organization.objects.create(name="ベンチマーク株式会社", slug=f"bench-{int(time.time())}")
    user = User.objects.create_user(
        email=f"bench{int(time.time())}@example.jp", password="bench-password-123"
    )
    Membership.objects.create(organization=org, user=user, role="owner")
    t0 = time.perf_counter()
    assets = DataAsset.objects.bulk_create(
        [
            DataAsset(
                organization=org,
                name=f"台帳{i:05d}",
                department=rng.choice(["営業部", "人事部", "総務部"]),
                items=["person_name", "address", "phone"],
                individuals=rng.randrange(10, 50000),
                has_special_care=i % 7 == 0,
            )
            for i in range(ASSETS)
        ],
        batch_size=1000,
    )
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                organization=org,
                name=f"委託先{i:05d}株式会社",
                status=rng.choice(["selected", "contracted", "ended"]),
                inherent_tier=rng.choice(["high", "medium", "low"]),
                tier_points=rng.randrange(10),
                tier_explanation="ベンチマーク用",
            )
            for i in range(VENDORS)
        ],
        batch_size=1000,
    )
    Entrustment.objects.bulk_create(
        [
            Entrustment(
                organization=org,
                vendor=rng.choice(vendors),
                data_asset=rng.choice(assets),
                items=["person_name", "address"],
                individuals=rng.randrange(10, 50000),
            )
            for _ in range(ENTRUSTMENTS)
        ],
        batch_size=2000,
    )
    seeded = time.perf_counter() - t0
    # The seed objects held by this script are not part of a request: keep the garbage collector
    # from walking them during the measurements (as a server process would not hold them).
    gc.collect()
    gc.freeze()
    client = Client()
    client.force_login(user)
    _token, secret = issue_token(user=user, org=org, name="bench", actor=Actor(user=user, via="bench"))
    target = vendors[len(vendors) // 2]
    pages = {
        "vendor list (/vendors/)": ("/vendors/", {}),
        "vendor page (/vendors/<uuid>/)": (f"/vendors/{target.uuid}/", {}),
        "data-set list (/ledger/)": ("/ledger/", {}),
        "API vendor list (/api/v1/vendors)": (
            "/api/v1/vendors?limit=50",
            {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
        ),
    }
    print(
        f"database: {connection.vendor}; seeded {VENDORS:,} vendors, {ASSETS:,} data sets, "
        f"{ENTRUSTMENTS:,} entrustments in {seeded:.1f} s"
    )
    ok = True
    for label, (url, headers) in pages.items():
        times = []
        for i in range(RUNS + 3):
            start = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                print(f"{label}: HTTP {response.status_code}")
                ok = False
                break
            if i >= 3:
                times.append(elapsed)
        if times:
            p95 = statistics.quantiles(times, n=20)[18]
            print(f"  {label:36} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    ok = checksheet_bench(org, user, vendors, client) and ok
    sys.exit(0 if ok else 1)


def checksheet_bench(org, user, vendors, client) -> bool:
    """Send to 1,000 vendors; the portal page of a 60-question sheet; the check-sheet dashboard."""
    from django.conf import settings
    from django.utils import timezone

    from mamori.checksheets import actions
    from mamori.checksheets.models import Template, TemplateVersion
    from mamori.platform.trail.services import Actor
    from mamori.vendors.models import Vendor, VendorContact

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the real queue
    rng = random.Random(2)
    VendorContact.objects.bulk_create(
        [
            VendorContact(organization=org, vendor=v, name=f"担当{i}", email=f"contact{i}@vendor.example")
            for i, v in enumerate(vendors[:1000])
        ],
        batch_size=1000,
    )
    actions.ensure_builtin(org)
    standard = Template.objects.get(organization=org, builtin_key="standard").current
    due = timezone.localdate() + dt.timedelta(days=30)
    start = time.perf_counter()
    sent = actions.send(
        org=org, version=standard, vendors=vendors[:1000], due_on=due, actor=Actor(user=user, via="bench")
    )
    send_seconds = time.perf_counter() - start
    print(
        f"  send the standard sheet to {len(sent):,} vendors (1,000 links and queued mails): {send_seconds:.2f} s"
    )
    # A 60-question sheet, half answered, for the portal page.
    sections = [
        {
            "key": f"s{i}",
            "title": f"セクション{i}",
            "questions": [
                {
                    "key": f"q{i}_{j}",
                    "text": f"設問{i}-{j}：個人データの取扱いについて確認しています。",
                    "type": "ynp",
                    "weight": 1,
                    "required": True,
                    "critical": j == 0,
                    "guidance": "ガイダンス",
                    "allow_na": True,
                }
                for j in range(10)
            ],
        }
        for i in range(6)
    ]
    template = Template.objects.create(organization=org, name="60問シート")
    version = TemplateVersion.objects.create(
        organization=org, template=template, number=1, structure={"sections": sections}, question_count=60
    )
    [a] = actions.send(
        org=org, version=version, vendors=[vendors[0]], due_on=due, actor=Actor(user=user, via="bench")
    )
    r = a.recipients.first()
    for section in sections:
        for q in section["questions"][:5]:
            actions.save_answer(r, q["key"], value="yes", remark="備考")
    for v in vendors:
        v.control_score = round(rng.uniform(20, 100), 1)
    Vendor.objects.bulk_update(vendors, ["control_score"], batch_size=1000)
    gc.collect()
    gc.freeze()
    ok = True
    for label, url in (
        ("portal page, 60 questions (/p/<token>/)", f"/p/{r.token}/"),
        ("check-sheet dashboard, 5,000 vendors", "/checksheets/"),
    ):
        times = []
        for i in range(RUNS + 3):
            start = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"10.0.{i // 200}.{i % 200}")
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                print(f"{label}: HTTP {response.status_code}")
                ok = False
                break
            if i >= 3:
                times.append(elapsed)
        if times:
            p95 = statistics.quantiles(times, n=20)[18]
            print(f"  {label:44} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")
    return ok


if __name__ == "__main__":
    main()
