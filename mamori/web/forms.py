"""Form helpers shared by the domain apps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.core.items import ITEM_LABELS, SPECIAL_CARE_LABELS
from mamori.tenancy.models import OrgOwned

ITEM_CHOICES = [(k, v) for k, v in ITEM_LABELS.items()]
SPECIAL_CARE_CHOICES = [(k, v) for k, v in SPECIAL_CARE_LABELS.items()]


class OrgModelForm(forms.ModelForm):
    """A ModelForm whose related-object choices are limited to the organization and keyed by uuid.

    Every foreign key to an OrgOwned model offers only that organization's objects, so a foreign
    identifier is rejected as an invalid choice (the second line of defence after scoping).
    """

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and issubclass(field.queryset.model, OrgOwned):
                field.queryset = field.queryset.model.objects.for_org(org)
                field.to_field_name = "uuid"
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"


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
