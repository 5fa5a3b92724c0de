from django.apps import AppConfig


class ChecksheetsConfig(AppConfig):
    name = "mamori.checksheets"
    verbose_name = "Check sheets"

    def ready(self):
        from mamori.checksheets import texts
        from mamori.checksheets.api import router
        from mamori.platform import messages, registry

        registry.register_api("/checksheets", router)
        messages.register(texts.TEXTS)
