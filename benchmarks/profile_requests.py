"""In-process cost of each request kind of the load mix (benchmarks/load.py), without HTTP.

Runs against the data folder in MAMORI_DATA_DIR (seed it first with ``mamori demo --email … --password …``
and create a token with ``mamori token create``), through Django's whole middleware stack (test
client), single-threaded: milliseconds of CPU-bound work per request and the number of queries, per
kind. ``--profile KIND`` prints the cProfile of that kind instead (e.g. ``page:/trail/``, ``api:vendor``,
``api:timeline``, ``portal``).

    MAMORI_DATA_DIR=… python -m benchmarks.profile_requests --email bench@example.jp \\
        --password … --token mmr_… [--repeat 40] [--profile page:/trail/]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time

PAGES = ["/", "/ledger/", "/vendors/", "/checksheets/", "/incidents/", "/audits/", "/trail/"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_requests")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--queries", default=None, help="print the SQL of one request of this kind")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument(
        "--keep-connections",
        action="store_true",
        help="do not end each request as the server does (close_old_connections: CONN_MAX_AGE)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    os.environ.setdefault("MAMORI_SECURE_COOKIES", "false")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.load import print_links  # noqa: F401 - same selection of portal links
    from mamori.checksheets.actions import can_answer
    from mamori.checksheets.models import Recipient
    from mamori.core.checksheets.structure import question_map

    browser = Client()
    response = browser.post("/login/", {"email": args.email, "password": args.password})
    assert response.status_code == 302, response.status_code
    api = Client(headers={"Authorization": f"Bearer {args.token}"})
    vendors = [v["uuid"] for v in api.get("/api/v1/vendors?limit=50").json()["items"]]
    incidents = [v["uuid"] for v in api.get("/api/v1/incidents?limit=50").json()["items"]]
    portal = None
    for r in Recipient.objects.select_related("assessment__version"):
        if r.usable and can_answer(r.assessment):
            keys = [
                k for k, q in question_map(r.assessment.version.structure).items() if q.get("type") == "ynp"
            ]
            if keys:
                portal = (r.token, keys)
                break
    vendor_portal = Client()
    assert portal is not None
    vendor_portal.get(f"/p/{portal[0]}/")
    rnd = random.Random(1)

    def page(path):
        def go():
            r = browser.get(path)
            assert r.status_code == 200, (path, r.status_code)

        return go

    def api_vendor():
        r = api.patch(
            f"/api/v1/vendors/{rnd.choice(vendors)}",
            json.dumps({"notes": f"負荷試験 {rnd.randrange(10**6)}"}),
            content_type="application/json",
        )
        assert r.status_code == 200, r.content[:300]

    def api_timeline():
        r = api.post(
            f"/api/v1/incidents/{rnd.choice(incidents)}/timeline",
            json.dumps({"text": f"負荷試験のメモ {rnd.randrange(10**6)}"}),
            content_type="application/json",
        )
        assert r.status_code in (200, 201), r.content[:300]

    def autosave():
        r = vendor_portal.post(
            f"/p/{portal[0]}/answer/{rnd.choice(portal[1])}/",
            {"value": rnd.choice(["yes", "partial", "no"]), "remark": f"自動保存 {rnd.randrange(10**6)}"},
            headers={"HX-Request": "true"},
        )
        assert r.status_code == 200, r.content[:300]

    kinds = {f"page:{p}": page(p) for p in PAGES}
    kinds |= {"api:vendor": api_vendor, "api:timeline": api_timeline, "portal": autosave}
    if not args.keep_connections:
        # The test client keeps the database connection across requests; the server ends each
        # request with close_old_connections (a new connection per request unless CONN_MAX_AGE).
        from django.db import close_old_connections

        def ended(fn):
            def go():
                close_old_connections()
                fn()
                close_old_connections()

            return go

        kinds = {name: ended(fn) for name, fn in kinds.items()}
    weights = {name: (0.5 / len(PAGES) if name.startswith("page:") else 0.125) for name in kinds}
    weights["portal"] = 0.25
    order = random.Random(2).choices(list(kinds), weights=[weights[k] for k in kinds], k=1000)

    def mix():
        for name in order[: max(1, args.repeat)]:
            kinds[name]()

    kinds["mix"] = mix
    if args.queries:
        fn = kinds[args.queries]
        fn()
        with CaptureQueriesContext(connection) as ctx:
            fn()
        for q in ctx.captured_queries:
            print(q["sql"][:300])
        return 0
    if args.profile:
        fn = kinds[args.profile]
        for _ in range(3):
            fn()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(1 if args.profile == "mix" else args.repeat):
            fn()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        return 0
    mix_ms = []
    print(f"{'kind':<22} {'median CPU ms':>14} {'mean CPU ms':>12} {'queries':>8}")
    for name, fn in kinds.items():
        if name == "mix":
            continue
        for _ in range(3):
            fn()
        with CaptureQueriesContext(connection) as ctx:
            fn()
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(args.repeat):
            # CPU time of this process: what a request costs the cores, much less disturbed than the
            # wall clock when other work shares the machine.
            started = time.process_time()
            fn()
            times.append((time.process_time() - started) * 1000)
        median = statistics.median(times)
        mean = statistics.mean(times)
        print(f"{name:<22} {median:>14.2f} {mean:>12.2f} {queries:>8}")
        mix_ms.append(weights[name] * mean)
    print(f"{'weighted mix (load.py)':<22} {'':>14} {sum(mix_ms):>12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
