from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mamori.ledger"
    verbose_name = "Ledger"
