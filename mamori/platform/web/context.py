from __future__ import annotations

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from mamori.platform.tenancy.models import Membership, Perm

# The grouped menu: (group id, group label, [(item label, URL name)]). URL names are plain strings so
# the platform imports no domain app; a name that does not resolve (an app not installed) is left
# out, an item whose page the member's role may not open (the view's own ``org_perm``) too, and so is
# a group with nothing left in it.
NAV: list[tuple[str, object, list[tuple[object, str]]]] = [
    (
        "registry",
        _("Ledger & vendors"),
        [
            (_("Ledger"), "ledger:list"),
            (_("Vendors"), "vendors:list"),
            (_("Entrustments"), "entrustments:list"),
            (_("Contracts"), "contracts:list"),
            (_("Third-party provision records"), "provision_records:list"),
            (_("Purposes of use"), "purpose_notices:list"),
            (_("Opt-out notices"), "opt_out_notices:list"),
        ],
    ),
    (
        "checksheets",
        _("Check sheets"),
        [
            (_("Check sheets"), "checksheets:dashboard"),
            (_("Send a check sheet"), "checksheets:send"),
            (_("Templates"), "checksheets:templates"),
            (_("Answer library (as a vendor)"), "answerlib:library"),
        ],
    ),
    (
        "audits",
        _("Audits & self-assessment"),
        [
            (_("Audit plan"), "audit_plan"),
            (_("Audits"), "audits:list"),
            (_("Findings"), "findings:list"),
            (_("Corrective actions"), "actions:list"),
            (_("Self-assessment"), "self_assessment"),
            (_("Staff training"), "training:list"),
            (_("Staff roster"), "employees:list"),
            (_("Provisions and purposes check"), "provisions_check"),
            (_("Calendar"), "calendar"),
        ],
    ),
    (
        "incidents",
        _("Incident response"),
        [
            (_("Incidents"), "incidents:list"),
            (_("Response plan"), "response_plan"),
            (_("Drills"), "drills:list"),
            (_("Our principals (委託元)"), "principals:list"),
        ],
    ),
    (
        "reports",
        _("Reports"),
        [
            (_("Annual supervision report"), "annual_report"),
            (_("Portfolio of organizations"), "portfolio"),
            (_("Trail"), "trail:list"),
        ],
    ),
    (
        "settings",
        _("Settings"),
        [
            (_("Organization settings"), "tenancy:settings"),
            (_("PPC reporter profile"), "incident_reporter"),
            (_("Check-sheet reminders"), "checksheets:settings"),
            (_("Members"), "tenancy:members"),
            (_("Account"), "accounts:account"),
        ],
    ),
]


def nav_groups(request, membership) -> list[dict[str, object]]:
    """The menu for this member: each group with the items the role may open, the item whose address
    is the longest prefix of the current page marked ``current`` and its group ``current``."""
    groups: list[dict[str, object]] = []
    for key, label, entries in NAV:
        items: list[dict] = []
        for item_label, url_name in entries:
            try:
                url = reverse(url_name)
                perm = getattr(resolve(url).func, "org_perm", None)
            except (NoReverseMatch, Resolver404):
                continue
            if perm is not None and not membership.allows(perm):
                continue
            items.append({"label": item_label, "url": url, "current": False})
        if items:
            groups.append({"key": key, "label": label, "items": items, "current": False})
    path = request.path
    best: tuple[dict, dict] | None = None
    for group in groups:
        group_items: list[dict] = group["items"]  # type: ignore[assignment]
        for item in group_items:
            if path.startswith(item["url"]) and (best is None or len(item["url"]) > len(best[1]["url"])):
                best = (group, item)
    if best is not None:
        best[0]["current"] = best[1]["current"] = True
    return groups


def navigation(request):
    """What the menu shows: only sections that exist and that the user's role may open."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "current_org": membership.organization,
        "current_role": membership.get_role_display(),
        "can": {perm.value: membership.allows(perm) for perm in Perm},
        # Read with the chosen one by CurrentOrganizationMiddleware (no second query).
        "my_memberships": getattr(request, "memberships", None)
        or Membership.objects.filter(user=request.user).select_related("organization"),
        "nav_groups": nav_groups(request, membership),
    }
