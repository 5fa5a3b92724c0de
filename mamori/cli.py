"""The ``mamori`` command line: serve, worker, init, demo, token, trail, backup, restore."""

from __future__ import annotations

import argparse
import getpass
import os
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    import django

    django.setup()


def _migrated() -> None:
    """Create or update the tables first, so that a command works on a fresh data folder."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fail(message: str, code: int = 1) -> int:
    print(f"mamori: {message}", file=sys.stderr)
    return code


def cmd_migrate(_args) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return 0


def cmd_serve(args) -> int:
    """Migrate, then run the web server (gunicorn, one process per core) and the worker, restarting
    the worker when it dies (mamori.server)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from mamori import server

    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()
    port = args.port or settings.PORT
    host = args.host or os.environ.get("MAMORI_HOST", "127.0.0.1")
    return server.supervise(host, port, with_worker=not args.no_worker)


def cmd_worker(args) -> int:
    _django()
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from mamori.platform.actor import Actor, set_actor
    from mamori.taskleases import leases

    set_actor(Actor(user=None, via="worker"))  # tasks and scheduled jobs change things as the worker
    leases.connect()
    worker_id = f"{os.getpid()}-{get_random_string(16)}"
    options = {"queue_name": "*", "worker_id": worker_id}
    if args.once:
        options["batch"] = True
        leases.reap()
        run_scheduled_jobs()
        call_command("db_worker", **options)
        return 0
    import threading

    leases.beat(worker_id)
    leases.reap()
    threading.Thread(target=_scheduler_loop, name="mamori-scheduler", daemon=True).start()
    threading.Thread(target=_heartbeat_loop, args=(worker_id,), name="mamori-heartbeat", daemon=True).start()
    try:
        call_command("db_worker", **options)
    finally:
        try:
            leases.stopped(worker_id)
        except Exception as exc:  # the database may be gone; the lease then simply expires
            print(f"mamori: could not remove the worker's heartbeat: {exc}", file=sys.stderr)
    return 0


def _heartbeat_loop(worker_id: str) -> None:
    """Tell the others this worker is alive, and take back the tasks of workers that died."""
    import time

    from django.db import close_old_connections

    from mamori.taskleases import leases

    interval = leases.heartbeat_seconds()
    while True:
        time.sleep(interval)
        try:
            leases.beat(worker_id)
            leases.reap()
        except Exception as exc:  # a locked or unreachable database: the next beat retries
            print(f"mamori: worker heartbeat failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            close_old_connections()


def run_scheduled_jobs() -> int:
    """Work that falls due by the clock (reminders). Safe to run from several workers at once:
    each reminder is claimed by a conditional update."""
    from mamori.audits.digest import send_weekly_digests
    from mamori.checksheets.actions import process_due_reminders
    from mamori.platform.trail.anchors import write_daily_anchor

    sent = process_due_reminders()
    send_weekly_digests()
    write_daily_anchor()  # the trail's heads, outside the database, once a day
    return sent


def _scheduler_loop() -> None:
    import time

    from django.db import close_old_connections

    from mamori.platform.actor import Actor, set_actor

    set_actor(Actor(user=None, via="worker"))  # a new thread starts with an empty context
    interval = int(os.environ.get("MAMORI_SCHEDULER_SECONDS", "300"))
    while True:
        try:
            run_scheduled_jobs()
        except Exception as exc:  # keep the worker alive; the next round retries
            print(f"mamori: scheduled jobs failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            close_old_connections()
        time.sleep(interval)


def cmd_reminders(_args) -> int:
    _django()
    sent = run_scheduled_jobs()
    print(f"{sent} reminders queued.")
    return 0


def cmd_init(args) -> int:
    _django()
    _migrated()
    from mamori.platform.accounts.actions import AccountError, create_owner

    password = _new_password(args.email)
    if isinstance(password, int):
        return password
    try:
        org, user = create_owner(
            org_name=args.org, name=args.name or "", email=args.email, password=password, via="cli"
        )
    except AccountError as exc:
        return _fail(str(exc))
    print(f"Created organization {org.name} ({org.slug}) with owner {user.email}.")
    return 0


def cmd_demo(args) -> int:
    """A sample organization (a mail-order company) to try Mamori with, owned by the given user."""
    _django()
    _migrated()
    from django.conf import settings
    from django.utils import timezone

    from mamori.demo.seed import seed_demo
    from mamori.platform.accounts.models import User

    user = User.objects.filter(email__iexact=args.email).first()
    created = user is None
    if created:
        password = _new_password(args.email, args.password)
        if isinstance(password, int):
            return password
        user = User.objects.create_user(email=args.email, password=password, name=args.name or "")
    org = seed_demo(today=timezone.localdate(), owner=user)
    print(f"Created the sample organization {org.name} ({org.slug}) with owner {user.email}.")
    if created:
        print(f"Created the user {user.email}.")
    print(f"Sign in at {settings.BASE_URL}/ and choose {org.name} in the organization switcher.")
    return 0


def _new_password(email: str, given: str | None = None) -> str | int:
    """The password of a new user: MAMORI_ADMIN_PASSWORD, --password or asked; an exit code if unusable."""
    password = given or os.environ.get("MAMORI_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            return _fail("set MAMORI_ADMIN_PASSWORD or run in a terminal to be asked for the password")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            return _fail("the two passwords differ")
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from mamori.platform.accounts.models import User

    try:
        password_validation.validate_password(password, User(email=email))
    except ValidationError as exc:
        return _fail("the password is too weak: " + " ".join(exc.messages))
    return password


def cmd_token_create(args) -> int:
    _django()
    _migrated()
    from mamori.platform.accounts.actions import AccountError, issue_token
    from mamori.platform.accounts.models import User
    from mamori.platform.tenancy.models import Membership
    from mamori.platform.trail.services import Actor

    user = User.objects.filter(email__iexact=args.email, is_active=True).first()
    if user is None:
        return _fail(f"no active user with the e-mail address {args.email}")
    memberships = Membership.objects.filter(user=user).select_related("organization").order_by("created_at")
    if args.org:
        memberships = memberships.filter(organization__slug=args.org)
    membership = memberships.first()
    if membership is None:
        return _fail(f"{args.email} is not a member of {args.org or 'any organization'}")
    try:
        _token, secret = issue_token(
            user=user, org=membership.organization, name=args.name, actor=Actor(user=user, via="cli")
        )
    except AccountError as exc:
        return _fail(str(exc))
    print(secret)
    return 0


def cmd_trail_verify(_args) -> int:
    _django()
    from mamori.platform.tenancy.models import Organization
    from mamori.platform.trail.anchors import anchors_file, read_anchors, write_daily_anchor
    from mamori.platform.trail.models import TrailEntry
    from mamori.platform.trail.services import verify

    breaks = verify()
    if breaks:
        for b in breaks:
            print(f"BROKEN {b.organization}: entry {b.seq}: {b.reason}")
        return 2
    write_daily_anchor()
    anchors = read_anchors()
    print(
        f"OK: {TrailEntry.objects.count()} entries in {Organization.objects.count()} organizations,"
        f" every link intact; {len(anchors)} anchors in {anchors_file()} match"
        + (f" (latest: {anchors[-1].date})." if anchors else ".")
    )
    return 0


def cmd_backup(args) -> int:
    _django()
    from mamori.backup import KEYS_INCLUDED, KEYS_LEFT_OUT, BackupError, backup

    try:
        info = backup(args.file, include_keys=not args.without_secret_key)
    except BackupError as exc:
        return _fail(str(exc))
    print(f"Backup written to {args.file} ({info})")
    print(KEYS_LEFT_OUT if args.without_secret_key else KEYS_INCLUDED)
    return 0


def cmd_restore(args) -> int:
    _django()
    from mamori.backup import BackupError, restore

    try:
        info = restore(args.file, force=args.force, new_secret_key=args.new_secret_key)
    except BackupError as exc:
        return _fail(str(exc))
    print(f"Restored {args.file} ({info})")
    return 0


def cmd_openapi(args) -> int:
    _django()
    import json

    from mamori.platform.api.api import api

    text = json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.file:
        with open(args.file, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


def _read_json(path: str) -> dict:
    import json

    with sys.stdin if path == "-" else open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _print_json(data) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_assess(args) -> int:
    import json

    from mamori.core.appi import FactsError, assess

    try:
        import datetime as dt

        result = assess(_read_json(args.file), today=dt.date.today())
    except (OSError, json.JSONDecodeError) as exc:
        return _fail(f"cannot read {args.file}: {exc}", 2)
    except FactsError as exc:
        for error in exc.errors:
            print(f"mamori: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        _print_json(result)
    else:
        print(assessment_text(result))
    return 0


def assessment_text(r: dict) -> str:
    yes = {True: "はい", False: "いいえ", None: "不明（判定保留）"}
    v = r["verdict"]
    lines = [
        f"判定: {v['headline']}",
        f"適用した規則: {r['rules_version']['title']}",
        f"漏えい等に該当: {yes[r['incident']]}",
        f"報告対象事態: {yes[r['reportable']]}" + (f"（{', '.join(r['grounds'])}）" if r["grounds"] else ""),
        f"本人の数: {r['individuals']['text']}",
        f"委員会への報告義務: {yes[r['must_report']]}",
        f"本人への通知義務: {yes[r['must_notify']]}",
    ]
    for m in v["missing"]:
        lines.append(f"不足: {m['text']} → {m['worst_case']}")
    if v["worst_case"]:
        w = v["worst_case"]["final_report"]
        lines.append(f"最悪の場合の確報期限: {w['due']}（{w['days']}日）")
    if r["exemptions"]:
        lines.append(f"除外・免除: {', '.join(r['exemptions'])}")
    if r["preliminary_report"]:
        p = r["preliminary_report"]
        lines.append(f"速報の目安: {p['from']} 〜 {p['to']}（速やかに）")
    if r["final_report"]:
        f = r["final_report"]
        lines.append(f"確報の期限: {f['due']}（{f['days']}日）")
    if r.get("vendor_route"):
        route = r["vendor_route"]
        lines.append(
            f"委託先として: {route['status']}（目安 {route['notice_due']['to']} まで） [{route['citation']}]"
        )
    lines.append("理由:")
    lines += [f"  - {x['text']}  [{x['citation']}]" for x in r["reasons"]]
    if r["assumptions"]:
        lines.append("仮定・注意:")
        lines += [f"  - {a}" for a in r["assumptions"]]
    lines.append("対応:")
    lines += [f"  {i}. {a}" for i, a in enumerate(r["actions"], 1)]
    if act := r.get("my_number_act"):
        lines.append(f"番号法（特定個人情報）: {act['verdict']['label']}")
        lines += [f"  - {g['text']}  [{g['citation']}]" for g in act["grounds"]]
        lines += [f"  - 不足: {m['text']}" for m in act["verdict"]["missing"]]
        if act["final_report"]:
            lines.append(
                f"  速報の目安: {act['preliminary_report']['from']} 〜 {act['preliminary_report']['to']}、"
                f"確報の期限: {act['final_report']['due']}（{act['final_report']['days']}日）"
            )
        lines.append(f"  {act['route']}")
    return "\n".join(lines)


def cmd_estimate(args) -> int:
    import json

    from mamori.core.jnsa import EstimateError, estimate

    try:
        data = _read_json(args.file) if args.file else {}
    except (OSError, json.JSONDecodeError) as exc:
        return _fail(f"cannot read {args.file}: {exc}", 2)
    if args.individuals is not None:
        data["individuals"] = args.individuals
    if args.items:
        data["items"] = [i.strip() for i in args.items.split(",") if i.strip()]
    try:
        result = estimate(data)
    except EstimateError as exc:
        for error in exc.errors:
            print(f"mamori: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        _print_json(result)
    else:
        j, c = result["jnsa"], result["response_costs"]
        p = result["precedents"]
        print(f"JNSA想定損害賠償額: {j['formula']}")
        print(f"  {j['disclaimer']}")
        print(
            f"判例（1人あたり）: {p['range_per_person']['low']:,}〜{p['range_per_person']['high']:,}円 — {p['summary']}"
        )
        print(f"対応費用の見込み: {c['low']:,}〜{c['high']:,}円")
    return 0


def cmd_scan(args) -> int:
    import json

    from mamori.scan import Limits, scan_paths
    from mamori.scan.report import render

    progress = None
    if args.progress or (args.progress is None and sys.stderr.isatty()):
        progress = _progress_factory()
    limits = Limits()
    result = scan_paths(args.files, limits=limits, progress=progress)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 2 if any(f["error"] for f in result["files"]) else 0


def _progress_factory():
    """A progress bar per large table on the terminal (stderr)."""
    from tqdm import tqdm

    def factory(label: str, size: int):
        if size < 20 * 1024 * 1024:
            return None
        bar = tqdm(desc=label[-40:], unit=" 行", unit_scale=True, file=sys.stderr, leave=False)

        def update(rows: int) -> None:
            bar.update(rows)

        return update

    return factory


def cmd_manage(args) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mamori manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mamori", description="Mamori: personal-data protection under the APPI"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="migrate, then run the web server and the background worker")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--no-worker", action="store_true", help="do not start the worker beside the web server")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run the background worker (mail, reminders, scans)")
    p.add_argument("--once", action="store_true", help="run the queued tasks, then stop")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "reminders", help="send the check-sheet reminders that are due (the worker does this every 5 minutes)"
    )
    p.set_defaults(func=cmd_reminders)

    p = sub.add_parser("migrate", help="create or update the database tables")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("init", help="create an organization and its owner")
    p.add_argument("--org", required=True, help="organization name")
    p.add_argument("--email", required=True)
    p.add_argument("--name", default="")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="create a sample organization (a mail-order company) to try Mamori with")
    p.add_argument("--email", default="demo@example.jp", help="its owner (created when new)")
    p.add_argument("--password", help="a new owner's password (default: MAMORI_ADMIN_PASSWORD or asked)")
    p.add_argument("--name", default="", help="a new owner's name")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("token", help="API tokens")
    tsub = p.add_subparsers(dest="token_command", required=True)
    t = tsub.add_parser("create", help="print a new API token")
    t.add_argument("--email", required=True)
    t.add_argument("--org", help="organization short name (slug); default: the user's first")
    t.add_argument("--name", default="cli")
    t.set_defaults(func=cmd_token_create)

    p = sub.add_parser("trail", help="the tamper-evident trail")
    tsub = p.add_subparsers(dest="trail_command", required=True)
    t = tsub.add_parser("verify", help="check every hash chain; exit 2 at the first broken link")
    t.set_defaults(func=cmd_trail_verify)

    p = sub.add_parser(
        "backup", help="write a consistent snapshot of the database, files and keys (owner-only file)"
    )
    p.add_argument("file")
    p.add_argument(
        "--without-secret-key",
        action="store_true",
        help="leave the secret key and the trail key out (keep them apart; a restore needs them)",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a snapshot into an empty data folder")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="replace a database that has data")
    p.add_argument(
        "--new-secret-key",
        action="store_true",
        help="restore a backup made without its keys although the keys in place differ"
        " (sessions, API tokens, open links, queued mail and two-factor set-ups stop working)",
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("assess", help="APPI assessment of an incident's facts (JSON file, - for stdin)")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("estimate", help="JNSA damage estimate and response-cost budget")
    p.add_argument("file", nargs="?", help="JSON input (individuals, items, special_care, costs …)")
    p.add_argument("--individuals", type=int)
    p.add_argument("--items", help="comma-separated item names, e.g. person_name,address,credit_card")
    p.add_argument("--format", choices=["json", "text"], default="json")
    p.set_defaults(func=cmd_estimate)

    p = sub.add_parser(
        "scan", help="find personal data in CSV, Excel, JSON, text and ZIP files (counts only)"
    )
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when stderr is a terminal)",
    )
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("openapi", help="print (or write to FILE) the OpenAPI document of /api/v1")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=cmd_openapi)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.umask(0o077)  # whatever the command writes (database, keys, uploads, backups) is the owner's only
    from mamori.platform.actor import Actor, acting_as

    parser = build_parser()
    args = parser.parse_args(argv)
    # Changes made from the command line are the operator's (commands that know the user say so).
    with acting_as(Actor(user=None, via="cli")):
        return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
