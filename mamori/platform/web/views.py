from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.platform import registry
from mamori.platform.accounts import actions
from mamori.platform.accounts.forms import SetupForm
from mamori.platform.accounts.models import User
from mamori.platform.tenancy.middleware import SESSION_KEY
from mamori.platform.tenancy.models import Membership, Perm
from mamori.platform.tenancy.scoping import org_view, scoped
from mamori.platform.trail import present
from mamori.platform.trail.models import TrailEntry


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
            # 「サンプルデータで試す」: a separate sample organization beside the real one, shown first.
            sample = registry.sample if "sample" in request.POST else None
            sample_org = sample.seed(today=timezone.localdate(), owner=user) if sample else None
        login(request, user, backend="mamori.platform.accounts.backends.EmailBackend")
        if sample is not None and sample_org is not None:
            request.session[SESSION_KEY] = sample_org.id
            messages.success(request, sample.message(sample_org))
        else:
            messages.success(request, _("Mamori is ready. Welcome!"))
        return redirect("web:dashboard")
    return render(request, "web/setup.html", {"form": form, "sample": registry.sample is not None})


@org_view(Perm.VIEW)
def dashboard_view(request):
    """The cards the apps registered (:func:`mamori.platform.registry.register_card`), in order."""
    context: dict[str, object] = {"today": timezone.localdate()}
    stat_cards, main_cards = registry.cards_for("stats"), registry.cards_for("main")
    for card in stat_cards + main_cards:
        context.update(card.context(request))
    context.update(stat_cards=stat_cards, main_cards=main_cards)
    return render(request, "web/dashboard.html", context)


def members_card(request) -> dict:
    return {"member_count": scoped(request, Membership).count()}


def recent_card(request) -> dict:
    if not request.membership.allows(Perm.TRAIL):
        return {"recent": None}
    entries = scoped(request, TrailEntry).select_related("actor").order_by("-seq")[:10]
    return {"recent": present.rows(entries, request.org)}


@login_required
def no_organization_view(request):
    if request.membership is not None:
        return redirect("web:dashboard")
    return render(request, "web/no_organization.html")
