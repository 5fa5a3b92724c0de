from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "mamori.tenancy"
    verbose_name = "Organizations"
