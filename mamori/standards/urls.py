from django.urls import path

from mamori.standards import views

urlpatterns = [
    path("standards/vendors/<uuid:uuid>/", views.vendor_lenses_view, name="vendor_lenses"),
]
