from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.platform.actor import Actor
from mamori.platform.tenancy import actions
from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Invitation, Membership, Perm, Role
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


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
