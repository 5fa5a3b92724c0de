from django.urls import include, path

from mamori.vendors import views

urlpatterns = [
    path("entrustments/<uuid:uuid>/approve/", views.approve_view, name="entrustment_approve"),
    path("contracts/<uuid:uuid>/clauses/", views.clause_confirm_view, name="contract_clauses"),
    path("contracts/<uuid:uuid>/document/", views.contract_document_view, name="contract_document"),
    *[path(f"{r.name}/", include(r.urls())) for r in views.RESOURCES],
]
