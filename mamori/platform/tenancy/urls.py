from django.urls import path

from mamori.platform.tenancy import views

app_name = "tenancy"

urlpatterns = [
    path("settings/organization/", views.settings_view, name="settings"),
    path("settings/members/", views.members_view, name="members"),
    path("settings/members/<uuid:uuid>/role/", views.member_role_view, name="member_role"),
    path("settings/members/<uuid:uuid>/remove/", views.member_remove_view, name="member_remove"),
    path("settings/invitations/<uuid:uuid>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("orgs/switch/", views.switch_view, name="switch"),
]
