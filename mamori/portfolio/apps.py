from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "mamori.portfolio"
    verbose_name = "Portfolio"
