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
from mamori.platform.tenancy.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationProfile,
    Perm,
    Role,
    profile_for,
)
from mamori.platform.tenancy.scoping import get_scoped, org_view, scoped


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.VIEWER)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name"]
        labels = {"name": gettext_lazy("Organization name")}


class ProfileForm(forms.ModelForm):
    class Meta:
        model = OrganizationProfile
        fields = [
            "sender_name",
            "contact_name",
            "department",
            "phone",
            "reply_to",
            "checksheet_message",
            "digest_enabled",
        ]
        widgets = {"checksheet_message": forms.Textarea(attrs={"rows": 4})}

    def clean_phone(self):
        """A Japanese phone number as people write it (03-1234-5678, ０３（１２３４）５６７８,
        +81 3 …): 10 or 11 digits, or up to 15 with a country code."""
        import re
        import unicodedata

        phone = unicodedata.normalize("NFKC", self.cleaned_data["phone"]).strip()
        if phone:
            digits = re.sub(r"[\s()\-‐－ー]", "", phone)
            if not re.fullmatch(r"(?:0\d{9,10}|\+\d{10,14})", digits):
                raise forms.ValidationError(_("Enter a phone number such as 03-1234-5678."))
        return phone


def _settings_links() -> list[tuple[str, str]]:
    """Settings kept by the apps, linked from the organization settings page when installed
    (URL names only: the platform imports no domain app)."""
    from django.urls import NoReverseMatch, reverse

    links = []
    for label, name in (
        (gettext_lazy("Check-sheet reminders"), "checksheets:settings"),
        (gettext_lazy("Reporter profile for PPC reports"), "incident_reporter"),
        (gettext_lazy("Audit plan"), "audit_plan"),
        (gettext_lazy("Members"), "tenancy:members"),
    ):
        try:
            links.append((str(label), reverse(name)))
        except NoReverseMatch:
            continue
    return links


@org_view(Perm.MANAGE)
def settings_view(request):
    """設定 › 組織の設定: the name, who mail to vendors comes from and whom they contact, the
    message added to check-sheet mails, and the weekly digest; each change reaches the trail."""
    from django.db import transaction

    from mamori.platform.actor import acting_as

    org = request.org
    profile = profile_for(org)
    org_form = OrganizationForm(request.POST or None, instance=org, prefix="org")
    form = ProfileForm(request.POST or None, instance=profile, prefix="mail")
    if request.method == "POST" and org_form.is_valid() and form.is_valid():
        with transaction.atomic(), acting_as(Actor.from_request(request)):
            org_form.save()
            form.save()
        messages.success(request, _("Saved."))
        return redirect("tenancy:settings")
    return render(
        request,
        "tenancy/settings.html",
        {"org_form": org_form, "form": form, "links": _settings_links()},
    )


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
