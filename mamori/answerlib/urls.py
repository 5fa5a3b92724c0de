from django.urls import include, path

from mamori.answerlib import views

app_patterns = [
    path("", views.library_view, name="library"),
    path("seed/", views.seed_view, name="seed"),
    path("add/", views.add_view, name="add"),
    path("<uuid:uuid>/end/", views.end_view, name="end"),
    path("<uuid:uuid>/", views.answer_view, name="answer"),
    path("<uuid:uuid>/evidence/", views.evidence_upload_view, name="evidence_upload"),
    path("evidence/<uuid:uuid>/", views.evidence_file_view, name="evidence_file"),
    path("evidence/<uuid:uuid>/end/", views.evidence_end_view, name="evidence_end"),
    path("sheets/", views.sheet_upload_view, name="sheet_upload"),
    path("sheets/<uuid:uuid>/", views.sheet_view, name="sheet"),
    path("sheets/<uuid:uuid>/export/", views.sheet_export_view, name="sheet_export"),
]

urlpatterns = [path("answers/", include((app_patterns, "answerlib")))]
