from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mamori.accounts import actions
from mamori.accounts.forms import SetupForm
from mamori.accounts.models import User
from mamori.tenancy.models import Membership, Perm
from mamori.tenancy.scoping import org_view, scoped
from mamori.trail.models import TrailEntry


def setup_view(request):
    """First run: create the organization and its owner. Gone once any user exists."""
    if User.objects.exists():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            if User.objects.exists():
                raise Http404
            _org, user = actions.create_owner(
                org_name=data["organization"],
                name=data["name"],
                email=data["email"],
                password=data["password1"],
                via="web",
            )
        login(request, user, backend="mamori.accounts.backends.EmailBackend")
        messages.success(request, _("Mamori is ready. Welcome!"))
        return redirect("web:dashboard")
    return render(request, "web/setup.html", {"form": form})


@org_view(Perm.VIEW)
def dashboard_view(request):
    membership = request.membership
    context = {
        "member_count": scoped(request, Membership).count(),
        "recent": scoped(request, TrailEntry).order_by("-seq")[:10]
        if membership.allows(Perm.TRAIL)
        else None,
    }
    return render(request, "web/dashboard.html", context)


@login_required
def no_organization_view(request):
    if request.membership is not None:
        return redirect("web:dashboard")
    return render(request, "web/no_organization.html")
