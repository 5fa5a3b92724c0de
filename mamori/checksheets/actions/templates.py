"""Check-sheet templates: the built-in ones, and new versions of a structure."""

from __future__ import annotations

from django.db import transaction

from mamori.checksheets.models import Template, TemplateVersion
from mamori.core.checksheets import builtin
from mamori.core.checksheets.structure import questions, validate
from mamori.platform.trail import services as trail


def ensure_builtin(org) -> None:
    """The organization's copies of the built-in templates (created once, on first use)."""
    existing = set(
        Template.objects.filter(organization=org)
        .exclude(builtin_key="")
        .values_list("builtin_key", flat=True)
    )
    for key, (name, description, build) in builtin.BUILTIN.items():
        if key in existing:
            continue
        with transaction.atomic():
            template = Template.objects.create(
                organization=org, name=name, description=description, builtin_key=key
            )
            structure = build()
            TemplateVersion.objects.create(
                organization=org,
                template=template,
                number=1,
                structure=structure,
                question_count=sum(1 for _ in questions(structure)),
            )


def add_version(template: Template, structure: dict, actor: trail.Actor) -> TemplateVersion:
    validate(structure)
    with transaction.atomic(), trail.acting_as(actor):
        number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = TemplateVersion.objects.create(
            organization=template.organization,
            template=template,
            number=number,
            structure=structure,
            question_count=sum(1 for _ in questions(structure)),
        )
    return version
