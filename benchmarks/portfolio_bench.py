"""The law firm's portfolio (issue 17): one user member of 100 client organizations of 5,000 vendors
each (with incidents, check sheets and findings); p50/p95 of /portfolio/. Run on PostgreSQL
(`DATABASE_URL=postgres://… python -m benchmarks.portfolio_bench`); the goal is p95 < 300 ms.

The data is generated with ``bulk_create`` with the trail's bulk hook switched off for the seeding
only (500,000 vendors' creation entries are not what is measured)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import random
import statistics
import sys
import tempfile
import time

CLIENTS = int(os.environ.get("MAMORI_BENCH_CLIENTS_ORGS", "100"))
VENDORS = int(os.environ.get("MAMORI_BENCH_VENDORS_PER_ORG", "5000"))
RUNS = 40
GOAL_MS = 300


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
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", interactive=False, verbosity=0)
    from mamori.audits.models import Audit, Finding
    from mamori.checksheets.models import Assessment, Template, TemplateVersion
    from mamori.incidents.models import Incident, Task
    from mamori.platform.accounts.models import User
    from mamori.platform.tenancy.models import WRITE_HOOKS, Membership, Organization
    from mamori.vendors.models import Vendor

    rng = random.Random(17)
    today = timezone.localdate()
    stamp = int(time.time())
    # MAMORI_BENCH_REUSE=1: measure again on the data a previous run seeded in this database.
    reuse = os.environ.get("MAMORI_BENCH_REUSE") == "1"
    user = User.objects.filter(email__startswith="counsel").order_by("-pk").first() if reuse else None
    if user is None:
        user = User.objects.create_user(
            email=f"counsel{stamp}@lawfirm.example.jp", password="bench-password-123"
        )
    created, WRITE_HOOKS.created = WRITE_HOOKS.created, None  # seeding only: no trail entries
    t0 = time.perf_counter()
    try:
        for c in range(0 if reuse and user.memberships.exists() else CLIENTS):
            org = Organization.objects.create(name=f"顧問先{c:03d}株式会社", slug=f"client-{stamp}-{c}")
            Membership.objects.create(organization=org, user=user, role="editor")
            vendors = Vendor.objects.bulk_create(
                [
                    Vendor(
                        organization=org,
                        name=f"委託先{i:05d}株式会社",
                        status=rng.choice(["selected", "contracted", "contracted", "ended"]),
                        inherent_tier=rng.choice(["high", "medium", "low"]),
                        risk_rating=rng.choice(["high", "medium", "low", "low", ""]),
                    )
                    for i in range(VENDORS)
                ],
                batch_size=2500,
            )
            incidents = Incident.objects.bulk_create(
                [
                    Incident(
                        organization=org,
                        title=f"顧問先{c:03d}の事案{k}",
                        aware_on=today - dt.timedelta(days=rng.randrange(1, 40)),
                        final_due=today + dt.timedelta(days=rng.randrange(-5, 30)),
                        state=rng.choice(["open", "open", "closed"]),
                    )
                    for k in range(4)
                ]
            )
            Task.objects.bulk_create(
                [
                    Task(
                        organization=org,
                        incident=incident,
                        step=s,
                        title=title,
                        due_on=incident.aware_on + dt.timedelta(days=days),
                        done_at=timezone.now() if s == 1 and rng.random() < 0.5 else None,
                    )
                    for incident in incidents
                    for s, (title, days) in enumerate(
                        [("個人情報保護委員会への速報", 5), ("本人への通知", 14), ("確報", 30)], start=1
                    )
                ]
            )
            template = Template.objects.create(organization=org, name="標準チェックシート")
            version = TemplateVersion.objects.create(
                organization=org, template=template, number=1, structure={"sections": []}, question_count=0
            )
            Assessment.objects.bulk_create(
                [
                    Assessment(
                        organization=org,
                        vendor=v,
                        version=version,
                        due_on=today + dt.timedelta(days=rng.randrange(-30, 30)),
                        state=rng.choice(["sent", "in_progress", "submitted", "approved"]),
                    )
                    for v in rng.sample(vendors, 200)
                ],
                batch_size=1000,
            )
            audits = Audit.objects.bulk_create(
                [Audit(organization=org, vendor=v, performed_on=today) for v in rng.sample(vendors, 10)]
            )
            Finding.objects.bulk_create(
                [
                    Finding(
                        organization=org,
                        audit=a,
                        severity=rng.choice(["high", "medium", "low"]),
                        description="再委託先の管理記録がない",
                        closed_on=today if rng.random() < 0.5 else None,
                    )
                    for a in audits
                    for _ in range(3)
                ]
            )
    finally:
        WRITE_HOOKS.created = created
    seeded = time.perf_counter() - t0
    clients = user.memberships.count()
    vendors = Vendor.objects.filter(organization_id__in=user.memberships.values("organization_id")).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by then
    gc.collect()
    gc.freeze()
    client = Client()
    client.force_login(user)
    times = []
    for i in range(RUNS + 3):
        start = time.perf_counter()
        response = client.get("/portfolio/")
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            print(f"portfolio: HTTP {response.status_code}")
            sys.exit(1)
        if i >= 3:
            times.append(elapsed)
    p95 = statistics.quantiles(times, n=20)[18]
    print(
        f"database: {connection.vendor}; {clients} client organizations, {vendors:,} vendors"
        f" ({'reused' if reuse and not seeded > 1 else f'seeded in {seeded:.0f} s'})\n"
        f"  portfolio (/portfolio/)              p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"
        f"   (goal p95 < {GOAL_MS} ms: {'met' if p95 < GOAL_MS else 'NOT met'})"
    )
    sys.exit(0 if p95 < GOAL_MS else 1)


if __name__ == "__main__":
    main()
