from django.urls import include, path

from mamori.ledger import views

urlpatterns = [
    path("ledger/from-file/", views.from_file_view, name="ledger_from_file"),
    path("ledger/", include(views.resource.urls())),
]
