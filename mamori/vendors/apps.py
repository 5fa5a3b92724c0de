from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "mamori.vendors"
    verbose_name = "Vendors"

    def ready(self):
        from mamori.vendors import actions  # noqa: F401 - registers the risk hooks
