from django.apps import AppConfig


class PreparednessConfig(AppConfig):
    name = "mamori.preparedness"
    verbose_name = "Preparedness"

    def ready(self):
        from mamori.preparedness import actions  # noqa: F401 - attaches the plan to new incidents
