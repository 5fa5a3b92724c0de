from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mamori.platform.accounts"
    verbose_name = "Accounts"

    def ready(self):
        from mamori.platform import registry
        from mamori.platform.accounts.api import router

        registry.register_api("", router)
