from django.urls import path

from mamori.portfolio import views

urlpatterns = [path("portfolio/", views.portfolio_view, name="portfolio")]
