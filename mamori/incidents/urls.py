from django.urls import include, path

from mamori.incidents import views

urlpatterns = [
    path("incidents/<uuid:uuid>/scan/", views.scan_view, name="incident_scan"),
    path("incidents/<uuid:uuid>/scans/", views.scans_view, name="incident_scans"),
    path("incidents/<uuid:uuid>/timeline/add/", views.note_view, name="incident_note"),
    path("incidents/<uuid:uuid>/timeline.<str:fmt>", views.timeline_view, name="incident_timeline"),
    path("incidents/<uuid:uuid>/tasks/", views.task_add_view, name="incident_task_add"),
    path("incidents/<uuid:uuid>/close/", views.close_view, name="incident_close"),
    path(
        "incidents/<uuid:uuid>/documents/<str:kind>.<str:fmt>", views.document_view, name="incident_document"
    ),
    path("incidents/tasks/<uuid:uuid>/done/", views.task_done_view, name="incident_task_done"),
    path("incidents/files/<uuid:uuid>/", views.timeline_file_view, name="incident_file"),
    path("incidents/reporter/", views.reporter_view, name="incident_reporter"),
    path("incidents/wording/<str:kind>/", views.wording_view, name="incident_wording"),
    path("incidents/principals/", include(views.principal_resource.urls())),
    path("incidents/", include(views.resource.urls())),
]
