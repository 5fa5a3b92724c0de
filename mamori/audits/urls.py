from django.urls import include, path

from mamori.audits import training, views

urlpatterns = [
    path("audits/plan/", views.plan_view, name="audit_plan"),
    path("audits/self/", views.self_view, name="self_assessment"),
    path("audits/<uuid:uuid>/upload/", views.upload_view, name="audit_upload"),
    path("audits/files/<uuid:uuid>/", views.file_view, name="audit_file"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/feed/<uuid:org>/<str:key>.ics", views.calendar_feed_view, name="calendar_feed"),
    path("reports/annual/", views.annual_view, name="annual_report"),
    path("audits/findings/", include(views.findings.urls())),
    path("audits/actions/", include(views.corrective.urls())),
    path("audits/training/missing/", training.missing_view, name="training_missing"),
    path("audits/staff/<uuid:uuid>/certificate/", training.certificate_view, name="training_certificate"),
    path("audits/training/", include(views.training.urls())),
    path("audits/staff/", include(views.employees.urls())),
    path("audits/", include(views.audits.urls())),
]
