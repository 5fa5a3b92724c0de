from mamori.platform.tenancy.models import Membership, Perm


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
    }
