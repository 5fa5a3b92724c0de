from django.urls import path

from mamori.platform.web import import_views, jobs, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("setup/", views.setup_view, name="setup"),
    path("welcome/", views.no_organization_view, name="no_organization"),
    path("jobs/<uuid:uuid>/", jobs.job_view, name="job"),
    path("import/<str:kind>/", import_views.import_view, name="import"),
    path("import/<str:kind>/template.<str:fmt>", import_views.template_view, name="import_template"),
]
