"""Import speed (issue 13): a CSV of N vendors uploaded to the import page, end to end (read in the
child, every row checked, then written in bulk), and the length of the one write transaction.
Run once per database: `python -m benchmarks.import_bench [rows …]` (DATABASE_URL selects it)."""

from __future__ import annotations

import os
import sys
import tempfile
import time

SIZES = (5_000, 50_000)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    if not os.environ.get("DATABASE_URL"):
        os.environ["MAMORI_DATA_DIR"] = tempfile.mkdtemp(prefix="mamori-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    os.environ["MAMORI_MAX_IMPORT_ROWS"] = str(max(sizes))
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", interactive=False, verbosity=0)
    from mamori.platform.accounts.models import User
    from mamori.platform.tenancy.models import Membership, Organization
    from mamori.platform.trail.models import TrailEntry
    from mamori.platform.trail.services import verify
    from mamori.platform.web import import_views, imports
    from mamori.vendors.models import Vendor

    writes: list[float] = []
    apply = imports.apply

    def timed_apply(*args, **kwargs):
        start = time.perf_counter()
        try:
            return apply(*args, **kwargs)
        finally:
            writes.append(time.perf_counter() - start)

    import_views.apply = timed_apply
    print(f"database: {connection.vendor}")
    ok = True
    for n in sizes:
        stamp = f"{n}-{int(time.time() * 1000)}"
        org = Organization.objects.create(name=f"取込ベンチ{n}株式会社", slug=f"import-bench-{stamp}")
        user = User.objects.create_user(email=f"import{stamp}@example.jp", password="bench-password-123")
        Membership.objects.create(organization=org, user=user, role="owner")
        lines = ["名称,所在地,提供サービス,状態,担当者名,担当者のメール"]
        lines += [
            f"委託先{i:06d}株式会社,東京都千代田区霞が関{i % 100}-{i % 7},発送代行,契約中,担当{i},t{i}@vendor.example"
            for i in range(n)
        ]
        data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
        client = Client()
        client.force_login(user)
        start = time.perf_counter()
        response = client.post("/import/vendors/", {"file": SimpleUploadedFile("vendors.csv", data)})
        total = time.perf_counter() - start
        saved = Vendor.objects.filter(organization=org).count()
        entries = TrailEntry.objects.filter(organization=org, object_type="vendors.vendor").count()
        if response.status_code != 302 or saved != n:
            print(f"  {n:,} vendors: HTTP {response.status_code}, {saved:,} saved")
            ok = False
            continue
        broken = verify([org])
        print(
            f"  {n:,} vendors with a contact each ({len(data) / 2**20:.1f} MB CSV): end to end {total:.1f} s,"
            f" write transaction {writes[-1]:.1f} s; trail entries for vendors {entries:,};"
            f" trail verify {'OK' if not broken else broken[0].reason}"
        )
        ok = ok and not broken and entries >= n
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
