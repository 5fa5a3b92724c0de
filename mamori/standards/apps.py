from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "mamori.standards"
    verbose_name = "Standards"
