from django.urls import path

from mamori.portfolio import views

urlpatterns = [
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("portfolio/open/", views.open_view, name="portfolio_open"),
]
