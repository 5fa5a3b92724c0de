from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mamori.platform.accounts import joining, views

app_name = "accounts"

urlpatterns = [
    path("orgs/new/", joining.organization_new_view, name="organization_new"),
    path("orgs/sample/", joining.organization_sample_view, name="organization_sample"),
    path("invite/<str:token>/", joining.accept_invitation_view, name="accept_invitation"),
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_otp_view, name="login_otp"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/two-factor/", views.two_factor_view, name="two_factor"),
    path("account/tokens/", views.token_create_view, name="token_create"),
    path("account/tokens/<uuid:uuid>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere_view, name="sign_out_everywhere"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:account")
        ),
        name="password_change",
    ),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
