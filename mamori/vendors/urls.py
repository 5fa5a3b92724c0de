from django.urls import include, path

from mamori.vendors import views

urlpatterns = [
    path("contracts/<uuid:uuid>/document/", views.contract_document_view, name="contract_document"),
    *[path(f"{r.name}/", include(r.urls())) for r in views.RESOURCES],
]
