from __future__ import annotations

import base64
import time

import pyotp
import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.platform.accounts import actions, throttle
from mamori.platform.accounts.forms import LoginForm, OtpForm, ProfileForm, TokenForm
from mamori.platform.accounts.models import ApiToken, User
from mamori.platform.actor import client_ip
from mamori.platform.trail.models import Action
from mamori.platform.trail.services import Actor

PENDING_USER = "mamori_2fa_user"
PENDING_NEXT = "mamori_2fa_next"
SETUP_SECRET = "mamori_2fa_secret"  # noqa: S105 - a session key name


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("web:dashboard")


def _complete_login(request, user: User, next_url: str) -> HttpResponse:
    login(request, user, backend="mamori.platform.accounts.backends.EmailBackend")
    throttle.login_failures().reset(user.email)
    actions.record_sign_in(user, Actor.from_request(request))
    return redirect(next_url)


def _consume_or_refund(email: str, ip: str) -> bool:
    """Reserve an attempt for the address too; if it has none left, give the e-mail's back."""
    if throttle.LOGIN_PER_IP.consume(ip):
        return True
    throttle.login_failures().refund(email)
    return False


def login_view(request):
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(request)
        # Each attempt reserves one failure atomically before the password is checked (so parallel
        # requests cannot check more passwords than the limit) and gives it back if it succeeds.
        if not throttle.login_failures().consume(email) or not _consume_or_refund(email, ip):
            form.add_error(
                None,
                _(
                    "Too many failed sign-ins. This account is locked for a while; "
                    "try again later or reset the password."
                ),
            )
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is not None:
                throttle.login_failures().refund(email)
                throttle.LOGIN_PER_IP.refund(ip)
            if user is None:
                failed = User.objects.filter(email__iexact=email).first()
                if failed is not None:
                    actions.record_sign_in(failed, Actor(user=failed, via="web"), Action.SIGN_IN_FAILED)
                form.add_error(None, _("The e-mail address or the password is wrong."))
            elif user.totp_enabled:
                request.session.cycle_key()
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_NEXT] = _safe_next(request, next_url)
                return redirect("accounts:login_otp")
            else:
                return _complete_login(request, user, _safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


def login_otp_view(request):
    user_pk = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=user_pk, is_active=True, totp_enabled=True).first() if user_pk else None
    if user is None:
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.OTP_PER_USER.consume(str(user.pk)):
            form.add_error(None, _("Too many wrong codes. Wait a few minutes and try again."))
        elif verify_totp(user, form.cleaned_data["code"].strip()):
            next_url = request.session.pop(PENDING_NEXT, None) or reverse("web:dashboard")
            request.session.pop(PENDING_USER, None)
            return _complete_login(request, user, next_url)
        else:
            form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "accounts/login_otp.html", {"form": form})


def verify_totp(user: User, code: str, secret: str | None = None) -> bool:
    """Check a TOTP code (one step of clock drift allowed) and refuse a code used before."""
    totp = pyotp.TOTP(secret or user.totp_key)
    now = int(time.time())
    for drift in (0, -1, 1):
        at = now + drift * totp.interval
        counter = at // totp.interval
        if pyotp.utils.strings_equal(totp.at(at), code):
            if counter <= user.totp_last_counter:
                return False
            user.totp_last_counter = counter
            if user.pk:
                User.objects.filter(pk=user.pk).update(totp_last_counter=counter)
            return True
    return False


@login_required
def account_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("accounts:account")
    tokens = ApiToken.objects.filter(user=request.user).select_related("organization")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_token": request.session.pop("new_token", None),
        },
    )


@login_required
@require_POST
def token_create_view(request):
    form = TokenForm(request.POST)
    if request.org is None:
        raise Http404
    if form.is_valid():
        _token, secret = actions.issue_token(
            user=request.user,
            org=request.org,
            name=form.cleaned_data["name"],
            actor=Actor.from_request(request),
        )
        request.session["new_token"] = secret
        messages.success(request, _("The token was created. Copy it now: it will not be shown again."))
    else:
        messages.error(request, _("Give the token a name."))
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke_view(request, uuid):
    # API tokens belong to the user who made them: scoped by user, a foreign identifier is a 404.
    token = ApiToken.objects.filter(uuid=uuid, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    actions.revoke_token(token=token, actor=Actor.from_request(request))
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


@login_required
@require_POST
def sign_out_everywhere_view(request):
    user = request.user
    user.sign_out_everywhere()
    actions.record_sign_in(user, Actor.from_request(request), Action.SIGN_OUT_EVERYWHERE)
    logout(request)
    messages.success(request, _("You were signed out of every browser and device."))
    return redirect("accounts:login")


def _qr_data_uri(uri: str) -> str:
    svg = segno.make(uri, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor_view(request):
    user = request.user
    form = OtpForm(request.POST or None)
    if user.totp_enabled:
        if request.method == "POST" and form.is_valid():
            if verify_totp(user, form.cleaned_data["code"].strip()):
                user.totp_enabled = False
                user.set_totp_key("")
                user.save(update_fields=["totp_enabled", "totp_secret"])
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:account")
            form.add_error("code", _("The code is wrong or has expired."))
        return render(request, "accounts/two_factor.html", {"form": form, "enabled": True})

    secret = request.session.get(SETUP_SECRET) or pyotp.random_base32()
    request.session[SETUP_SECRET] = secret
    if request.method == "POST" and form.is_valid():
        if verify_totp(user, form.cleaned_data["code"].strip(), secret=secret):
            user.set_totp_key(secret)
            user.totp_enabled = True
            user.save(update_fields=["totp_secret", "totp_enabled", "totp_last_counter"])
            request.session.pop(SETUP_SECRET, None)
            update_session_auth_hash(request, user)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:account")
        form.add_error("code", _("The code is wrong or has expired."))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Mamori")
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "enabled": False, "secret": secret, "qr": _qr_data_uri(uri)},
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Throttled per address; the page says the same either way, so nothing is revealed.
        if throttle.PASSWORD_RESET_PER_EMAIL.consume(form.cleaned_data["email"]):
            return super().form_valid(form)
        return redirect(self.success_url)
