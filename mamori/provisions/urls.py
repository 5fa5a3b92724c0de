from django.urls import include, path

from mamori.provisions import views

urlpatterns = [
    path("provisions/check/", views.check_view, name="provisions_check"),
    path("provisions/records/", include(views.records.urls())),
    path("provisions/opt-out/", include(views.opt_outs.urls())),
    path("provisions/purposes/", include(views.purposes.urls())),
    path("provisions/uses/", include(views.uses.urls())),
]
