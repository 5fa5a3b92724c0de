from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Membership
from mamori.portfolio.queries import portfolio


def _pages() -> dict[str, str]:
    """Where the rows lead, in the client's organization (reversed once per page, not per row)."""
    marker = uuid.UUID(int=0)
    return {
        "dashboard": reverse("web:dashboard"),
        "incidents": reverse("incidents:list"),
        "incident": reverse("incidents:detail", args=[marker]).replace(str(marker), "{}"),
        "sheets_overdue": reverse("checksheets:dashboard") + "?state=overdue",
        "vendors_high": reverse("vendors:list") + "?risk=high",
        "findings": reverse("findings:list"),
    }


@login_required
def portfolio_view(request):
    """Every organization the user belongs to, on one page (no organization needs to be chosen:
    each row switches to its client's organization and opens the page)."""
    p = portfolio(request.user, timezone.localdate())
    pages = _pages()
    # Where each button posts (?org=…&next=…), made here once rather than looked up per cell.
    base = reverse("portfolio_open")

    def target(org, page: str) -> str:
        return f"{base}?{urlencode({'org': str(org), 'next': page})}"

    for incident in p.incidents:
        incident.open = target(incident.client.org.uuid, pages["incident"].format(incident.uuid))
        incident.client_name = incident.client.org.name
    for c in p.clients:
        c.open = {key: target(c.org.uuid, pages[key]) for key in pages if key != "incident"}
        c.name = c.org.name
    return render(request, "portfolio/portfolio.html", {"p": p})


@login_required
@require_POST
def open_view(request):
    """Switch to one of the user's organizations and open a page of it (a local path only)."""
    org, target = request.GET.get("org", ""), request.GET.get("next", "")
    try:
        org_uuid = uuid.UUID(org)
    except ValueError:
        raise Http404 from None
    membership = Membership.objects.filter(user=request.user, organization__uuid=org_uuid).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organization_id
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("web:dashboard")
