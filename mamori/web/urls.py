from django.urls import path

from mamori.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("setup/", views.setup_view, name="setup"),
    path("welcome/", views.no_organization_view, name="no_organization"),
]
