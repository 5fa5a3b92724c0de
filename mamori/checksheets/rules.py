"""Check-sheet rules: what may be sent to whom and by when, who may receive a link, what a vendor may
pass down to its re-subcontractors.

The actions (:mod:`mamori.checksheets.actions`) check them, whichever door calls: the staff pages, the
API and the vendor portal refuse the same input in the same words (a
:class:`~mamori.platform.rules.RuleError`, messages per field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mamori.checksheets.models import Assessment, State, TemplateVersion
from mamori.platform.rules import WHOLE, Refusals
from mamori.vendors.models import Entrustment, Vendor, VendorContact, VendorStatus

#: The built-in template of the organization's own yearly self-assessment (never sent to vendors).
SELF_TEMPLATE = "self"
#: A vendor may pass its sheet down while it is being answered, and after submitting it.
FORWARDABLE = (State.SENT, State.IN_PROGRESS, State.RETURNED, State.SUBMITTED)
NAME_MAX = 150


def check_send(
    *, org, version: TemplateVersion | None, vendors: list[Vendor], due_on: dt.date, today: dt.date
) -> None:
    """A check sheet goes to at least one current vendor of the organization, due today or later."""
    refusals = Refusals()
    if version is None:
        refusals.add("template", _("This check sheet has no questions yet: import a version first."))
    elif version.organization_id != org.id:
        refusals.add("template", _("Not found in your organization. Check the identifier."))
    elif version.template.builtin_key == SELF_TEMPLATE:
        refusals.add(
            "template", _("This sheet is for your own self-assessment; it cannot be sent to vendors.")
        )
    if due_on < today:
        refusals.add("due_on", _("The due date is in the past."))
    if not vendors:
        refusals.add("vendors", _("Choose at least one vendor."))
    if any(v.organization_id != org.id for v in vendors):
        refusals.add("vendors", _("Not found in your organization. Check the identifier."))
    ended = [v.name for v in vendors if v.status == VendorStatus.ENDED]
    if ended:
        refusals.add(
            "vendors",
            _("Check sheets cannot be sent to ended vendors: %(names)s.") % {"names": "、".join(ended[:20])},
        )
    refusals.raise_any()


def send_targets(
    org, vendors: Iterable[Vendor], *, all_contracted: bool = False, chosen: Iterable[VendorContact] = ()
) -> tuple[list[Vendor], dict[int, list[VendorContact]]]:
    """Whom a sending reaches: the chosen vendors (with every vendor under contract, when asked), each
    through its chosen contacts, or through all of its contacts when none of them was chosen."""
    vendors = list(vendors)
    if all_contracted:
        vendors += list(
            Vendor.objects.for_org(org)
            .filter(status=VendorStatus.CONTRACTED)
            .exclude(pk__in=[v.pk for v in vendors])
        )
    picked: dict[int, list[VendorContact]] = {}
    for c in chosen:
        picked.setdefault(c.vendor_id, []).append(c)
    every: dict[int, list[VendorContact]] = {}
    for c in VendorContact.objects.filter(vendor__in=vendors):
        every.setdefault(c.vendor_id, []).append(c)
    return vendors, {v.id: picked.get(v.id) or every.get(v.id, []) for v in vendors}


def _check_person(refusals: Refusals, name: str, email: str, *, email_required: bool) -> None:
    if not name:
        refusals.add("name", _("Give the recipient's name."))
    elif len(name) > NAME_MAX:
        refusals.add("name", _("The name is too long (at most %(n)s characters).") % {"n": NAME_MAX})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            refusals.add("email", _("The e-mail address is not valid."))
    elif email_required:
        refusals.add("email", _("Give the recipient's e-mail address."))


def check_recipient(
    assessment: Assessment, *, name: str, email: str, contact: VendorContact | None = None
) -> None:
    """A recipient has a name and, when given, a valid address; a contact must be one of the vendor's."""
    refusals = Refusals()
    if contact is not None and contact.vendor_id != assessment.vendor_id:
        refusals.add("contact", _("This contact belongs to another vendor."))
    _check_person(refusals, name, email, email_required=False)
    refusals.raise_any()


def subcontractors(vendor: Vendor) -> list[Vendor]:
    """The vendors the registry knows as re-subcontractors of ``vendor``."""
    ids = Entrustment.objects.filter(parent__vendor=vendor).values_list("vendor_id", flat=True)
    return list(Vendor.objects.filter(pk__in=ids).order_by("name"))


def check_forward(assessment: Assessment, vendor: Vendor | None, *, name: str, email: str) -> None:
    """A vendor passes its sheet down, while answering it or after submitting it, to one of its
    re-subcontractors known in the registry, to a named person with an e-mail address."""
    refusals = Refusals()
    if assessment.state not in FORWARDABLE:
        refusals.add(WHOLE, _("This check sheet can no longer be passed down."))
    if vendor is None:
        refusals.add("vendor", _("Choose one of your re-subcontractors."))
    _check_person(refusals, name, email, email_required=True)
    refusals.raise_any()
