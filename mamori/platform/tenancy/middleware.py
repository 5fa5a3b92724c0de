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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = Membership.objects.filter(user=user).select_related("organization")
            wanted = request.session.get(SESSION_KEY)
            chosen = None
            if wanted is not None:
                chosen = memberships.filter(organization_id=wanted).first()
            if chosen is None:
                chosen = memberships.order_by("created_at").first()
            if chosen is not None:
                request.membership = chosen
                request.org = chosen.organization
        return self.get_response(request)
