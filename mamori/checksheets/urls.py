from django.urls import path

from mamori.checksheets import portal, template_import, views

app_name = "checksheets"

urlpatterns = [
    path("checksheets/", views.dashboard_view, name="dashboard"),
    path("checksheets/send/", views.send_view, name="send"),
    path("checksheets/settings/", views.settings_view, name="settings"),
    path("checksheets/templates/", views.templates_view, name="templates"),
    path(
        "checksheets/templates/import-template.xlsx",
        views.template_import_template_view,
        name="template_example",
    ),
    path("checksheets/templates/<uuid:uuid>/", views.template_detail_view, name="template"),
    path("checksheets/templates/<uuid:uuid>/edit/", views.template_edit_view, name="template_edit"),
    path(
        "checksheets/templates/<uuid:uuid>/export.<str:fmt>",
        views.template_export_view,
        name="template_export",
    ),
    path("checksheets/<uuid:uuid>/", views.detail_view, name="detail"),
    path("checksheets/<uuid:uuid>/review/", views.review_view, name="review"),
    path("checksheets/<uuid:uuid>/due/", views.due_view, name="due"),
    path("checksheets/remind-overdue/", views.remind_overdue_view, name="remind_overdue"),
    path("checksheets/<uuid:uuid>/recipients/", views.add_recipient_view, name="add_recipient"),
    path("checksheets/<uuid:uuid>/export.xlsx", views.export_view, name="export"),
    path(
        "checksheets/recipients/<uuid:uuid>/<str:op>/", views.recipient_action_view, name="recipient_action"
    ),
    path("checksheets/evidence/<uuid:uuid>/", views.evidence_view, name="evidence"),
]

portal_patterns = (
    [
        path("", portal.home_view, name="home"),
        path("answer/<str:key>/", portal.answer_view, name="answer"),
        path("evidence/<str:key>/", portal.evidence_upload_view, name="evidence_upload"),
        path("files/<uuid:uuid>/", portal.evidence_download_view, name="evidence_download"),
        path("files/<uuid:uuid>/withdraw/", portal.evidence_withdraw_view, name="evidence_withdraw"),
        path("submit/", portal.submit_view, name="submit"),
        path("confirm-prefilled/", portal.confirm_prefilled_view, name="confirm_prefilled"),
        path("excel/", portal.excel_view, name="excel"),
        path("excel/upload/", portal.excel_upload_view, name="excel_upload"),
        path("excel/resolve/", portal.excel_resolve_view, name="excel_resolve"),
        path("forward/", portal.forward_view, name="forward"),
    ],
    "portal",
)

# A company's own check sheet, taken as it is (upload, preview and mapping, confirm).
urlpatterns += [
    path("checksheets/templates/import/", template_import.upload_view, name="template_import"),
    path(
        "checksheets/templates/import/preview/",
        template_import.preview_view,
        name="template_import_preview",
    ),
    path("checksheets/templates/import/cancel/", template_import.cancel_view, name="template_import_cancel"),
]
