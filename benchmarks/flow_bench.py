"""Edit flows of the demo organization, as an editor through the test client: GET the edit page,
post back the form's values with one field changed. For the POST: SQL queries, and "hops" — calls
whose callee's mamori package (mamori.X, or platform.X for mamori.platform.X) differs from the
package of the caller's nearest mamori frame (returns are not hops); "domain hops" count the same
between the domain packages only (DOMAIN: a call into another domain package than the caller's
nearest domain frame). `python -m benchmarks.flow_bench`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser

SKIPPED = {"submit", "button", "file", "image", "reset"}
DOMAIN = {"ledger", "vendors", "checksheets", "incidents", "audits", "risk"}


def package(module: str | None) -> str | None:
    parts = (module or "").split(".")
    if parts[0] != "mamori" or len(parts) < 2:
        return None
    return f"platform.{parts[2]}" if parts[1] == "platform" and len(parts) > 2 else parts[1]


class FormValues(HTMLParser):
    """What a browser submits from the page's POST form without an action (the edit form)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.inside, self.select, self.textarea = False, None, None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        kind, name, value = a.get("type", "text"), a.get("name"), a.get("value", "")
        if tag == "form":
            self.inside = a.get("method", "").lower() == "post" and not a.get("action")
        elif not self.inside:
            return
        elif tag == "input" and name and kind not in SKIPPED:
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.add(name, a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self.select = name  # Django marks the current option(s) selected, the blank one included
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, value)
        elif tag == "textarea":
            self.textarea, self.fresh = name, True
            self.add(name, "")

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "form"
        self.select = None if tag == "select" else self.select
        self.textarea = None if tag == "textarea" else self.textarea

    def handle_data(self, data):
        if self.textarea:  # browsers drop the newline right after <textarea>
            self.data[self.textarea][-1] += data.removeprefix("\n") if self.fresh else data
            self.fresh = False


class Hops:
    """sys.setprofile over the block: a stack of the nearest mamori package of each Python frame;
    the hops and the chain of packages are kept apart for the resolved view and the middleware."""

    def __init__(self, view_code):
        self.view_code, self.view_depth = view_code, None
        self.stack: list[str | None] = []
        self.domain_stack: list[str | None] = []  # the nearest domain package of each frame
        self.edges, self.packages = Counter(), set()
        self.hops, self.chains = {"middleware": 0, "view": 0}, {"middleware": [], "view": []}
        self.domain_hops, self.domain_chain = 0, []

    def __enter__(self):
        sys.setprofile(self.profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(None)

    def profile(self, frame, event, arg):
        if event == "call":
            caller = self.stack[-1] if self.stack else None
            callee = package(frame.f_globals.get("__name__"))
            if frame.f_code is self.view_code and self.view_depth is None:
                self.view_depth = len(self.stack)  # the resolved view (outermost decorator) starts
            if callee:
                self.packages.add(callee)
                if caller and callee != caller:
                    self.edges[caller, callee] += 1
                    part = "middleware" if self.view_depth is None else "view"
                    self.hops[part] += 1
                    chain = self.chains[part]
                    chain += [caller, callee] if not chain or chain[-1] != caller else [callee]
            near = self.domain_stack[-1] if self.domain_stack else None
            if callee in DOMAIN and near and callee != near:
                self.domain_hops += 1
                chain = self.domain_chain
                chain += [near, callee] if not chain or chain[-1] != near else [callee]
            self.domain_stack.append(callee if callee in DOMAIN else near)
            self.stack.append(callee or caller)
        elif event == "return" and self.stack:
            self.stack.pop()
            self.domain_stack.pop()
            if len(self.stack) == self.view_depth:
                self.view_depth = None


def measure(client, url: str, change) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    page = client.get(url)
    form = FormValues()
    form.feed(page.content.decode())
    change(form.data)
    with CaptureQueriesContext(connection) as queries, Hops(resolve(url).func.__code__) as hops:
        response = client.post(url, form.data)
    status = f"HTTP {response.status_code}" + (" (saved)" if response.status_code == 302 else " (NOT saved)")
    lines = [f"  POST {url}: {status}, {len(queries)} queries, {sum(hops.hops.values())} hops"]
    lines += [f"    {part} ({n} hops): {' → '.join(hops.chains[part])}" for part, n in hops.hops.items()]
    lines.append(f"    domain hops ({hops.domain_hops}): {' → '.join(hops.domain_chain) or '-'}")
    lines.append(f"    packages: {', '.join(sorted(hops.packages))}")
    edges = ", ".join(f"{a}→{b} ×{n}" for (a, b), n in sorted(hops.edges.items()))
    return "\n".join([*lines, f"    hops by edge: {edges}"])


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["MAMORI_DATA_DIR"] = tempfile.mkdtemp(prefix="mamori-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", interactive=False, verbosity=0)
    from mamori.audits.models import CorrectiveAction
    from mamori.demo.seed import seed_demo
    from mamori.incidents.models import Incident
    from mamori.vendors.models import Vendor

    User = get_user_model()
    today = timezone.localdate()
    owner = User.objects.create_user(email="owner@sakura-tsuhan.example.jp", password="bench-password-123")
    org = seed_demo(today=today, owner=owner)
    editor = User.objects.create_user(email="editor@sakura-tsuhan.example.jp", password="bench-password-123")
    Membership = User._meta.get_field("memberships").related_model  # wherever the model lives
    Membership.objects.create(organization=org, user=editor, role="editor")
    client = Client()
    client.force_login(editor)

    def append(field):
        return lambda data: data.__setitem__(field, [data.get(field, [""])[0] + "（追記）"])

    def done(data):
        data.update(status=["done"], done_on=[today.isoformat()], closing_evidence=["是正確認済み"])

    incident = Incident.objects.filter(organization=org, vendor__isnull=False).first()
    vendor = Vendor.objects.filter(organization=org, entrustments__isnull=False).first()
    open_actions = CorrectiveAction.objects.filter(organization=org, status="open", finding__isnull=False)
    last = next(a for a in open_actions if a.finding.actions.filter(status="open").count() == 1)
    print(f"database: {connection.vendor}; demo organization seeded for {today}; user with the editor role")
    flows = [
        ("incident edit, description appended", "incidents", incident, append("description")),
        ("vendor edit, notes appended", "vendors", vendor, append("notes")),
        ("closing a finding: its last open corrective action marked done", "actions", last, done),
    ]
    for label, route, obj, change in flows:
        print(f"{label}: {obj}")
        print(measure(client, reverse(f"{route}:edit", args=[obj.uuid]), change))
    last.finding.refresh_from_db()
    print(f"    finding closed on: {last.finding.closed_on}")


if __name__ == "__main__":
    main()
