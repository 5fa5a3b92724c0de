"""Every change of every organization-owned model reaches the trail, whoever forgets what.

The models are not listed here: every concrete OrgOwned subclass Django knows is built by a
generic builder, changed (save, queryset update, bulk update), bulk-created and deleted, and each
change must appear once in the trail, with the actor set by the door and before/after values.
A model added tomorrow is covered by these tests the day it is added.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import uuid

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from mamori.platform.actor import Actor, acting_as, current_actor
from mamori.platform.tenancy.models import Organization, OrgOwned
from mamori.platform.trail import capture
from mamori.platform.trail.models import TrailEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_counter = itertools.count(1)

# The only models allowed to stay out of the trail, each for a stated reason (trail_ignore).
IGNORED = {"trail.trailentry", "checksheets.maillog", "audits.digestlog", "web.filejob"}


def org_owned_models():
    return [m for m in apps.get_models() if issubclass(m, OrgOwned) and not m._meta.abstract]


def _value(field: models.Field, org, user):
    n = next(_counter)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"p{n}@example.jp"
    if isinstance(field, models.FileField):
        return ContentFile(b"content", name=f"f{n}.txt")
    if isinstance(field, models.CharField | models.TextField):
        return f"v{n}-{uuid.uuid4().hex[:8]}"[: field.max_length or 50]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.PositiveIntegerField):
        return n
    if isinstance(field, models.FloatField | models.DecimalField):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.JSONField):
        return {}
    raise AssertionError(f"the builder cannot fill {field!r}: teach it")


def build(model, org, user, save=True):
    """An instance of any organization-owned model with every required field filled."""
    kwargs = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in ("uuid", "organization"):
            continue
        if isinstance(field, models.ForeignKey):
            if field.null:
                continue
            target = field.related_model
            if target is Organization:
                kwargs[field.name] = org
            elif issubclass(target, OrgOwned):
                kwargs[field.name] = build(target, org, user)
            else:
                kwargs[field.name] = user
            continue
        if field.has_default() or field.null or getattr(field, "auto_now", False):
            continue
        if field.blank and isinstance(field, models.CharField | models.TextField):
            continue
        kwargs[field.name] = _value(field, org, user)
    files = {k: v for k, v in kwargs.items() if isinstance(v, ContentFile)}
    obj = model(organization=org, **{k: v for k, v in kwargs.items() if k not in files})
    for name, content in files.items():
        getattr(obj, name).save(content.name, content, save=False)
    if save:
        obj.save()
    return obj


def changeable_field(model):
    excluded = set(getattr(model, "trail_exclude", ()))
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.name in excluded | {"uuid", "organization"}
            or isinstance(field, models.ForeignKey | models.FileField)
            or getattr(field, "auto_now", False)
            or (field.choices and len(field.choices) < 2)
        ):
            continue
        return field
    raise AssertionError(f"{model._meta.label} has no field the test can change")


def changed(field, old):
    if field.choices:
        return next(value for value, _label in field.choices if value != old)
    if isinstance(field, models.BooleanField):
        return not old
    if isinstance(field, models.EmailField):
        return f"changed{next(_counter)}@example.jp"
    if isinstance(field, models.CharField | models.TextField):
        return (f"c{next(_counter)}" + (old or ""))[: field.max_length or 50]
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return (old or 0) + 1
    if isinstance(field, models.DateTimeField):
        return (old or timezone.now()) + dt.timedelta(hours=1)
    if isinstance(field, models.DateField):
        return (old or timezone.localdate()) + dt.timedelta(days=1)
    if isinstance(field, models.JSONField):
        return {"changed": next(_counter)}
    raise AssertionError(f"cannot change {field!r}")


def entries_of(obj, action):
    return TrailEntry.objects.filter(object_id=str(obj.uuid), action=action).order_by("seq")


def test_every_org_owned_model_is_trailed_unless_it_says_so():
    everything = {m._meta.label_lower for m in org_owned_models()}
    trailed = {m._meta.label_lower for m in capture.trailed_models()}
    assert everything - trailed == IGNORED
    for label in IGNORED:
        assert apps.get_model(label).trail_ignore is True  # explicit, never silent


@pytest.mark.parametrize("model", capture.trailed_models(), ids=lambda m: m._meta.label_lower)
def test_each_kind_of_change_lands_in_the_trail(model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = Organization.objects.create(name="株式会社証跡", slug=f"t{uuid.uuid4().hex[:8]}")
    user = UserFactory()
    actor = Actor(user=user, via="test")
    with acting_as(actor):
        # Create (save)
        obj = build(model, org, user)
        created = entries_of(obj, "create")
        assert created.count() == 1
        assert created[0].actor_label == f"test:{user.email}" and created[0].actor_id == user.pk
        assert created[0].object_type == model._meta.label_lower

        field = changeable_field(model)
        # Update (save): before and after
        old = field.value_from_object(obj)
        new = changed(field, old)
        setattr(obj, field.attname, new)
        try:
            obj.save()
        except RuntimeError:  # append-only rows (an incident's timeline) refuse save(); not update()
            obj.refresh_from_db()
        else:
            update = entries_of(obj, "update").last()
            assert update is not None and field.name in update.changes
            assert update.changes[field.name][0] != update.changes[field.name][1]

        # Update (queryset): no save() involved
        before = entries_of(obj, "update").count()
        newer = changed(field, new)
        model.objects.filter(pk=obj.pk).update(**{field.attname: newer})
        assert entries_of(obj, "update").count() == before + 1
        assert field.name in entries_of(obj, "update").last().changes

        # Bulk update
        obj.refresh_from_db()
        setattr(obj, field.attname, changed(field, newer))
        model.objects.bulk_update([obj], [field.name])
        assert entries_of(obj, "update").count() == before + 2

        # Saving without a change writes nothing
        obj.refresh_from_db()
        count = TrailEntry.objects.count()
        with contextlib.suppress(RuntimeError):
            obj.save()
        assert TrailEntry.objects.count() == count

        # Bulk create (in another organization: some models are one per organization)
        other = Organization.objects.create(name="株式会社別", slug=f"o{uuid.uuid4().hex[:8]}")
        (bulk,) = model.objects.bulk_create([build(model, other, UserFactory(), save=False)])
        assert entries_of(bulk, "create").count() == 1

        # Delete (instance) and delete (queryset)
        obj.delete()
        deleted = entries_of(obj, "delete")
        assert deleted.count() == 1 and deleted[0].changes  # what was there, field by field
        model.objects.filter(pk=bulk.pk).delete()
        assert entries_of(bulk, "delete").count() == 1

    from mamori.platform.trail.services import verify

    assert verify([org, other]) == []


def test_a_cascade_is_trailed_object_by_object(settings, tmp_path):
    from mamori.vendors.models import Certification, Vendor, VendorContact

    org = Organization.objects.create(name="株式会社連鎖", slug="cascade")
    vendor = Vendor.objects.create(organization=org, name="委託先")
    contact = VendorContact.objects.create(organization=org, vendor=vendor, name="担当")
    cert = Certification.objects.create(organization=org, vendor=vendor, kind="pmark")
    vendor.delete()
    for obj in (vendor, contact, cert):
        assert entries_of(obj, "delete").count() == 1
    assert "委託先" in entries_of(contact, "delete")[0].object_repr


def test_a_change_nobody_claimed_is_recorded_as_system():
    org = Organization.objects.create(name="株式会社無名", slug="nobody")
    assert current_actor().via == "system"
    from mamori.vendors.models import Vendor

    vendor = Vendor.objects.create(organization=org, name="委託先")
    assert entries_of(vendor, "create")[0].actor_label == "system:-"


def test_unchanged_counters_and_secrets_write_nothing(tenancy):
    from mamori.platform.accounts.models import ApiToken

    tenancy.token(tenancy.owner, tenancy.org)
    token = ApiToken.objects.get(organization=tenancy.org)
    count = TrailEntry.objects.count()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    assert TrailEntry.objects.count() == count


def test_many_to_many_links_land_in_the_trail(demo):
    """Adding and removing a many-to-many link (training attendees, an incident's data sets) is a
    change like any other: one entry with the list before and after, for every such field."""
    fields = [(m, f) for m in capture.trailed_models() for f in m._meta.many_to_many]
    assert fields, "no model has a many-to-many field"
    actor = Actor(user=demo.owner, via="test")
    for model, field in fields:
        obj = model.objects.filter(organization=demo.org).first()
        assert obj is not None, f"the demo has no {model.__name__}"
        related = field.related_model.objects.all()
        if issubclass(field.related_model, OrgOwned):
            related = related.filter(organization=demo.org)
        extra = related.exclude(pk__in=getattr(obj, field.name).all()).first() or related.first()
        with acting_as(actor):
            getattr(obj, field.name).remove(extra)
            before = capture._m2m_values(obj, field.name)
            getattr(obj, field.name).add(extra)
        entry = TrailEntry.objects.filter(organization=demo.org).order_by("-seq").first()
        assert entry.object_id == str(obj.uuid) and entry.action == "update", field
        assert entry.changes[field.name] == [before, capture._m2m_values(obj, field.name)]
        assert entry.actor_label == f"test:{demo.owner.email}"
