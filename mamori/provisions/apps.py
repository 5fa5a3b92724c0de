from django.apps import AppConfig


class ProvisionsConfig(AppConfig):
    name = "mamori.provisions"
    verbose_name = "Provisions"
