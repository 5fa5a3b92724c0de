from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "mamori.audits"
    verbose_name = "Audits"

    def ready(self):
        from mamori.audits import actions  # noqa: F401 - registers the rating hooks
