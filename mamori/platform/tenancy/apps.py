from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "mamori.platform.tenancy"
    verbose_name = "Organizations"

    def ready(self):
        from mamori.platform import registry
        from mamori.platform.tenancy.api import router

        registry.register_api("/members", router)
