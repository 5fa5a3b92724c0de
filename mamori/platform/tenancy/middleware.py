from __future__ import annotations

from mamori.platform.tenancy.models import Membership

SESSION_KEY = "mamori_org_id"


class CurrentOrganizationMiddleware:
    """Sets ``request.org`` and ``request.membership`` from a membership the user really has.

    The organization chosen in the session is honoured only while the membership exists; a
    user removed from an organization falls back to another membership (or none) at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.org = None
        request.membership = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # One query for all of the user's memberships (a handful): the chosen one, and the
            # organization switcher's list (mamori.platform.web.context.navigation).
            memberships = list(Membership.objects.filter(user=user).select_related("organization"))
            wanted = request.session.get(SESSION_KEY)
            chosen = None
            if wanted is not None:
                chosen = next((m for m in memberships if str(m.organization_id) == str(wanted)), None)
            if chosen is None and memberships:
                chosen = min(memberships, key=lambda m: m.created_at)
            if chosen is not None:
                request.memberships = memberships
                request.membership = chosen
                request.org = chosen.organization
        return self.get_response(request)
