"""Registry page speed: one organization with 5,000 vendors, 2,000 data sets and 20,000
entrustments; p50/p95 of the vendor list, a vendor page, the data-set list and the API vendor
list. Run once per database (`python -m benchmarks.registry_bench`, DATABASE_URL selects it)."""

from __future__ import annotations

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
    from mamori.accounts.actions import issue_token
    from mamori.accounts.models import User
    from mamori.ledger.models import DataAsset
    from mamori.tenancy.models import Membership, Organization
    from mamori.trail.services import Actor
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
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
