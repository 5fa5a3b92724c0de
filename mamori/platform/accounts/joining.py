"""Joining an organization: accepting an invitation (signing up when needed), creating a new
organization, or a sample one (when the sample data is installed, :mod:`mamori.platform.registry`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.platform import registry
from mamori.platform.accounts import throttle
from mamori.platform.accounts.actions import create_organization
from mamori.platform.accounts.forms import AcceptInvitationForm
from mamori.platform.accounts.models import User
from mamori.platform.actor import Actor, client_ip
from mamori.platform.tenancy import actions
from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Membership, Role


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organization name"), max_length=200)


@login_required
def organization_new_view(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = create_organization(name=form.cleaned_data["name"], owner=request.user, via="web")
        request.session[SESSION_KEY] = org.id
        messages.success(request, _("The organization %(name)s was created.") % {"name": org.name})
        return redirect("web:dashboard")
    return render(
        request, "tenancy/organization_new.html", {"form": form, "sample": registry.sample is not None}
    )


MAX_SAMPLES = 3


@login_required
@require_POST
def organization_sample_view(request):
    """A sample organization owned by the user (never mixed into a real one)."""
    sample = registry.sample
    if sample is None:
        raise Http404
    owned = Membership.objects.filter(
        user=request.user, role=Role.OWNER, organization__slug__startswith=sample.slug_base
    ).count()
    if owned >= MAX_SAMPLES:
        messages.error(
            request,
            _("You have %(n)s sample organizations already: use one of them.") % {"n": owned},
        )
        return redirect("accounts:organization_new")
    org = sample.seed(today=timezone.localdate(), owner=request.user)
    request.session[SESSION_KEY] = org.id
    messages.success(request, sample.message(org))
    return redirect("web:dashboard")


def accept_invitation_view(request, token):
    # A valid link always opens; only unknown links count against the address (404 either way).
    invitation = actions.find_invitation(token)
    if invitation is None:
        throttle.INVITATION_GUESS_PER_IP.consume(client_ip(request))
        return render(request, "tenancy/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated or request.user.pk != existing.pk:
            messages.info(
                request, _("Sign in as %(email)s to accept the invitation.") % {"email": invitation.email}
            )
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if request.method == "POST":
            actions.accept(invitation=invitation, user=existing, actor=Actor.from_request(request))
            request.session[SESSION_KEY] = invitation.organization_id
            messages.success(request, _("You joined %(org)s.") % {"org": invitation.organization.name})
            return redirect("web:dashboard")
        return render(request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": None})
    form = AcceptInvitationForm(request.POST or None, initial={})
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            email=invitation.email, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
        )
        actions.accept(invitation=invitation, user=user, actor=Actor(user=user, via="web"))
        login(request, user, backend="mamori.platform.accounts.backends.EmailBackend")
        request.session[SESSION_KEY] = invitation.organization_id
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
        return redirect("web:dashboard")
    return render(request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": form})
