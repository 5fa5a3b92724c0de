"""Key the trail's chain: HMAC-SHA256 with the trail key instead of plain SHA-256.

Every organization's chain is first checked under the old scheme, then re-chained with the key,
and a last entry ("rekey") says so and what the check found (intact, or where it was broken):
the evidence of an earlier break is kept in the new chain itself. The canonical form is copied
here (frozen) so that later changes of the model cannot change what this migration did.
"""

import hashlib
import hmac
import json
import uuid
from datetime import UTC

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

GENESIS = "0" * 64


def canonical(entry, org) -> bytes:
    payload = {
        "org": str(org.uuid),
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "request_id": entry.request_id,
        "prev": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def keyed(data: bytes) -> str:
    return hmac.new(settings.MAMORI_TRAIL_KEY.encode(), data, hashlib.sha256).hexdigest()


def old_chain_problem(entries, org) -> str:
    expected_prev, expected_seq = GENESIS, 1
    for e in entries:
        if e.seq != expected_seq:
            return f"entry {expected_seq} was missing (next found: {e.seq})"
        if e.prev_hash != expected_prev:
            return f"entry {e.seq} did not link to the previous entry"
        if hashlib.sha256(canonical(e, org)).hexdigest() != e.hash:
            return f"entry {e.seq}: content did not match its hash (edited)"
        expected_prev, expected_seq = e.hash, e.seq + 1
    if expected_seq - 1 != org.trail_seq or expected_prev != org.trail_head:
        return f"the chain ended at {expected_seq - 1} but its head was {org.trail_seq} (entries removed)"
    return ""


def rechain(apps, schema_editor):
    Organization = apps.get_model("tenancy", "Organization")
    TrailEntry = apps.get_model("trail", "TrailEntry")
    for org in Organization.objects.order_by("pk"):
        entries = list(TrailEntry.objects.filter(organization=org).order_by("seq"))
        if not entries:
            continue
        problem = old_chain_problem(entries, org)
        prev = GENESIS
        for e in entries:
            e.prev_hash = prev
            e.hash = keyed(canonical(e, org))
            TrailEntry.objects.filter(pk=e.pk).update(prev_hash=e.prev_hash, hash=e.hash)
            prev = e.hash
        note = TrailEntry(
            uuid=uuid.uuid4(),
            organization=org,
            seq=entries[-1].seq + 1,
            at=timezone.now(),
            actor_label="system:-",
            action="rekey",
            object_type="trail.chain",
            object_repr="HMAC-SHA256",
            changes={
                "scheme": ["sha256", "hmac-sha256"],
                "previous_chain": ["intact" if not problem else f"broken: {problem}", None],
            },
            prev_hash=prev,
        )
        note.hash = keyed(canonical(note, org))
        note.save()
        Organization.objects.filter(pk=org.pk).update(trail_seq=note.seq, trail_head=note.hash)


class Migration(migrations.Migration):
    dependencies = [
        ("trail", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="trailentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Updated"),
                    ("delete", "Deleted"),
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Sign-in failed"),
                    ("sign_out_everywhere", "Signed out everywhere"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                    ("access", "Accessed"),
                    ("rekey", "Trail re-keyed"),
                ],
                max_length=32,
            ),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
