from django.urls import path

from mamori.platform.trail import views

app_name = "trail"

urlpatterns = [
    path("trail/", views.trail_view, name="list"),
    path("trail/verify/", views.verify_view, name="verify"),
    path("trail/export.csv", views.export_view, name="export"),
]
