"""Autosaves of the same question at the same moment (found by the load run of `make bench` on
PostgreSQL: one answer per question, and the second insert was a 500)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from mamori.checksheets import actions
from mamori.checksheets.models import Answer, Template
from mamori.platform.trail.services import Actor
from mamori.vendors.models import Vendor, VendorContact


@pytest.mark.django_db(transaction=True)
def test_simultaneous_autosaves_of_one_question_all_succeed(tenancy):
    if connection.vendor != "postgresql":
        # The SQLite test database is in memory with a shared cache, where a second writer gets
        # "table is locked" at once instead of waiting; a file database (WAL, IMMEDIATE, busy
        # timeout) makes writers take turns, which the load run of `make bench` exercises.
        pytest.skip("concurrent writers are exercised on PostgreSQL")
    org = tenancy.org
    vendor = Vendor.objects.create(organization=org, name="株式会社発送代行", status="contracted")
    VendorContact.objects.create(organization=org, vendor=vendor, name="担当 花子", email="h@vendor.example")
    actions.ensure_builtin(org)
    version = Template.objects.get(organization=org, builtin_key="short").current
    [a] = actions.send(
        org=org,
        version=version,
        vendors=[vendor],
        due_on=timezone.localdate() + dt.timedelta(days=20),
        actor=Actor(user=tenancy.owner),
    )
    recipient = a.recipients.first()
    key = next(iter(a.version.structure["sections"][0]["questions"]))["key"]
    threads, errors = 6, []
    barrier = threading.Barrier(threads)

    def autosave(i):
        try:
            barrier.wait(timeout=30)
            actions.save_answer(recipient, key, value="yes", remark=f"タブ{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=autosave, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert Answer.objects.filter(assessment=a, question=key).count() == 1
