"""Form helpers shared by the domain apps."""

from __future__ import annotations

import uuid

from django import forms
from django.db import models
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from mamori.platform.fields import ITEM_NAMES, SPECIAL_CARE_NAMES
from mamori.platform.tenancy.models import OrgOwned


def ITEM_CHOICES() -> list[tuple[str, str]]:
    """The items in the reader's language (a callable: Django reads it when the form is shown)."""
    return list(ITEM_NAMES.items())


def SPECIAL_CARE_CHOICES() -> list[tuple[str, str]]:
    return list(SPECIAL_CARE_NAMES.items())


class OrgModelForm(forms.ModelForm):
    """A ModelForm whose related-object choices are limited to the organization and keyed by uuid.

    Every foreign key to an OrgOwned model offers only that organization's objects, so a foreign
    identifier is rejected as an invalid choice (the second line of defence after scoping).
    The initial values of those fields are uuids too, so an edit page shows the object's current
    choices selected and saving it unchanged keeps them.
    """

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and _org_owned(field):
                field.queryset = field.queryset.model.objects.for_org(org)  # type: ignore[union-attr]
                field.to_field_name = "uuid"
                if self.initial.get(name) is not None:
                    # Django took the initial value from the instance by primary key.
                    self.initial[name] = _as_uuids(field, self.initial[name])
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"

    def clean(self):
        data = super().clean() or {}
        # Browsers send line breaks as CRLF: store them as the rest of Mamori does (LF), so that
        # saving a page unchanged changes nothing.
        for name, value in data.items():
            if isinstance(value, str) and isinstance(self.fields.get(name), forms.CharField):
                data[name] = normalize_newlines(value)
        return data


def _org_owned(field: forms.ModelChoiceField) -> bool:
    return field.queryset is not None and issubclass(field.queryset.model, OrgOwned)


def _as_uuids(field: forms.ModelChoiceField, value):
    """An initial value (a primary key, an object, or a list of either) as uuid strings."""
    many = isinstance(value, list | tuple | set | models.QuerySet)
    values = list(value) if many else [value]
    pks = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    model = field.queryset.model  # type: ignore[union-attr]  # an OrgModelForm's choice field has one
    uuids = dict(model._base_manager.filter(pk__in=pks).values_list("pk", "uuid")) if pks else {}
    out = []
    for v in values:
        if isinstance(v, models.Model):
            v = getattr(v, "uuid", v.pk)
        elif v in uuids:
            v = uuids[v]
        out.append(str(v) if isinstance(v, uuid.UUID) else v)
    return out if many else out[0]


class ItemsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", ITEM_CHOICES)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Items"))
        super().__init__(**kwargs)


class SpecialCareField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", SPECIAL_CARE_CHOICES)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Special-care categories (要配慮個人情報)"))
        super().__init__(**kwargs)


def date_widgets(*names: str) -> dict:
    return {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in names}
