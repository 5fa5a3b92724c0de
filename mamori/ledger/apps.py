from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mamori.ledger"
    verbose_name = "Ledger"

    def ready(self):
        from mamori.ledger import cards, imports
        from mamori.ledger.api import router
        from mamori.platform import registry

        registry.register_api("/data-sets", router)
        registry.register_import(imports.LEDGER)
        registry.register_card(registry.Card("ledger", "ledger/card_stats.html", cards.stats, 10, "stats"))
