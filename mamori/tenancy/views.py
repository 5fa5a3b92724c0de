from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.accounts import throttle
from mamori.accounts.actions import create_organization
from mamori.accounts.forms import AcceptInvitationForm
from mamori.accounts.models import User
from mamori.tenancy import actions
from mamori.tenancy.middleware import SESSION_KEY
from mamori.tenancy.models import Invitation, Membership, Perm, Role
from mamori.tenancy.scoping import get_scoped, org_view, scoped
from mamori.trail.services import Actor


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organization name"), max_length=200)


@org_view(Perm.MANAGE)
def members_view(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, link = actions.invite(
                org=request.org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=Actor.from_request(request),
            )
        except actions.MembershipError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
            request.session["invitation_link"] = link
            return redirect("tenancy:members")
    return render(
        request,
        "tenancy/members.html",
        {
            "form": form,
            "memberships": scoped(request, Membership).select_related("user").order_by("user__email"),
            "invitations": [i for i in scoped(request, Invitation).order_by("-created_at")[:50] if i.is_open],
            "roles": Role.choices,
            "invitation_link": request.session.pop("invitation_link", None),
        },
    )


@org_view(Perm.MANAGE)
@require_POST
def member_role_view(request, uuid):
    membership = get_scoped(request, Membership, uuid=uuid)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.change_role(
                membership=membership, role=form.cleaned_data["role"], actor=Actor.from_request(request)
            )
            messages.success(request, _("The role was changed."))
        except actions.MembershipError as exc:
            messages.error(request, str(exc))
    return redirect("tenancy:members")


@org_view(Perm.MANAGE)
@require_POST
def member_remove_view(request, uuid):
    membership = get_scoped(request, Membership, uuid=uuid)
    try:
        actions.remove_member(membership=membership, actor=Actor.from_request(request))
        messages.success(
            request, _("%(email)s was removed from the organization.") % {"email": membership.user.email}
        )
    except actions.MembershipError as exc:
        messages.error(request, str(exc))
    return redirect("tenancy:members")


@org_view(Perm.MANAGE)
@require_POST
def invitation_revoke_view(request, uuid):
    invitation = get_scoped(request, Invitation, uuid=uuid)
    actions.revoke_invitation(invitation=invitation, actor=Actor.from_request(request))
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("tenancy:members")


@login_required
@require_POST
def switch_view(request):
    membership = Membership.objects.filter(
        user=request.user, organization__uuid=request.POST.get("org")
    ).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.organization_id
    return redirect("web:dashboard")


@login_required
def organization_new_view(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = create_organization(name=form.cleaned_data["name"], owner=request.user, via="web")
        request.session[SESSION_KEY] = org.id
        messages.success(request, _("The organization %(name)s was created.") % {"name": org.name})
        return redirect("web:dashboard")
    return render(request, "tenancy/organization_new.html", {"form": form})


MAX_SAMPLES = 3


@login_required
@require_POST
def organization_sample_view(request):
    """A sample organization owned by the user (never mixed into a real one)."""
    from django.utils import timezone

    from mamori.demo import SLUG_BASE, sample_message, seed_demo

    owned = Membership.objects.filter(
        user=request.user, role=Role.OWNER, organization__slug__startswith=SLUG_BASE
    ).count()
    if owned >= MAX_SAMPLES:
        messages.error(
            request,
            _("You have %(n)s sample organizations already: use one of them.") % {"n": owned},
        )
        return redirect("tenancy:organization_new")
    org = seed_demo(today=timezone.localdate(), owner=request.user)
    request.session[SESSION_KEY] = org.id
    messages.success(request, sample_message(org))
    return redirect("web:dashboard")


def accept_invitation_view(request, token):
    ip = request.META.get("REMOTE_ADDR", "")
    invitation = actions.find_invitation(token) if throttle.INVITATION_GUESS_PER_IP.available(ip) else None
    if invitation is None:
        throttle.INVITATION_GUESS_PER_IP.consume(ip)
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
        login(request, user, backend="mamori.accounts.backends.EmailBackend")
        request.session[SESSION_KEY] = invitation.organization_id
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
        return redirect("web:dashboard")
    return render(request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": form})
