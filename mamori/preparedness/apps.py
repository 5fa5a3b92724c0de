from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "mamori.preparedness"
    verbose_name = "Preparedness"
