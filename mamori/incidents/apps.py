from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    verbose_name = "Incidents"

    def ready(self):
        from mamori.incidents import actions  # noqa: F401 - registers the reassessment hook
