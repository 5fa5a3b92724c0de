"""schemathesis against the committed OpenAPI document (docs/openapi.json), in-process through the
WSGI application, authenticated with an API token of the demo organization: every operation, a
bounded number of derandomized examples (valid and invalid data), and every answer must be documented
(status code, content type, body schema) and none may be a server error.

MAMORI_SCHEMATHESIS_EXAMPLES sets the examples per operation and mode (default 5: about 30 s on an idle 2-core machine)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mamori.platform.accounts.actions import issue_token
from mamori.platform.trail.services import Actor
from mamori.wsgi import application

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("MAMORI_SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _existing_uuids(token: str) -> dict[str, str]:
    """An object of the demo organization for each path with a ``{uuid}``, so that the examples
    also reach real objects (random uuids only ever find 404)."""
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def first(list_path: str) -> str | None:
        data = client.get(list_path).json()
        items = data["items"] if isinstance(data, dict) else data
        return str(items[0]["uuid"]) if items else None

    found = {}
    prefixes = [
        "/api/v1/members",
        "/api/v1/trail",
        "/api/v1/data-sets",
        "/api/v1/vendors",
        "/api/v1/entrustments",
        "/api/v1/contracts",
        "/api/v1/checksheets/templates",
        "/api/v1/checksheets/assessments",
        "/api/v1/incidents",
        "/api/v1/audits",
        "/api/v1/findings",
        "/api/v1/corrective-actions",
    ]
    for prefix in prefixes:
        if uuid := first(prefix):
            found[prefix] = uuid
    if "/api/v1/incidents" in found and (
        task := first(f"/api/v1/incidents/{found['/api/v1/incidents']}/tasks")
    ):
        found["/api/v1/incidents/tasks"] = task
    return found


def _real_uuid(path: str, uuids: dict[str, str]) -> str | None:
    prefix = path.split("/{uuid}")[0]
    return uuids.get(prefix)


def test_every_operation_answers_as_documented(demo, settings_):
    token = issue_token(
        user=demo.owner, org=demo.org, name="schemathesis", actor=Actor(user=demo.owner, via="test")
    )[1]
    headers = {"Authorization": f"Bearer {token}"}
    uuids = _existing_uuids(token)
    schema = schemathesis.openapi.from_path(SCHEMA_FILE)
    schema.app = application
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    operations.sort(key=lambda op: op.method.upper() == "DELETE")  # deletions last
    failures: list[str] = []
    unauthenticated: list[str] = []
    with _connection_kept():
        _run(operations, uuids, headers, failures, unauthenticated)
    assert not failures, "\n\n".join(failures)
    # The token was accepted (a run of 401s would conform to the document and test nothing).
    assert not unauthenticated, unauthenticated


def _run(operations, uuids, headers, failures: list[str], unauthenticated: list[str]) -> None:
    for operation in operations:
        real = _real_uuid(operation.path, uuids) if "{uuid}" in operation.path else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            statuses: set[int] = set()
            strategy = operation.as_strategy(generation_mode=mode)
            if real is not None:
                strategy = st.one_of(
                    operation.as_strategy(generation_mode=mode, path_parameters={"uuid": real}), strategy
                )

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case):
                response = case.call(headers=headers)
                statuses.add(response.status_code)  # noqa: B023  (run is called at once, in this loop)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc!r}")
            if mode == GenerationMode.POSITIVE and statuses <= {401}:
                unauthenticated.append(f"{operation.method.upper()} {operation.path}")


@pytest.fixture
def settings_(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    return settings


@contextmanager
def _connection_kept():
    """The WSGI application is called directly (not through Django's test client): as the test
    client does, keep the test's database connection (and its transaction) open between requests.
    (The test client connects the signal again after each of its own requests.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
