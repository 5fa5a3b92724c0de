from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mamori.ledger"
    verbose_name = "Ledger"

    def ready(self):
        from django.urls import reverse

        from mamori.ledger import actions, cards, imports
        from mamori.ledger.api import router
        from mamori.platform import registry

        registry.register_api("/data-sets", router)
        registry.register_import(imports.LEDGER)
        registry.register_card(registry.Card("ledger", "ledger/card_stats.html", cards.stats, 10, "stats"))
        registry.register_file_job(
            registry.FileJobKind(
                actions.SCAN_JOB, actions.run_scan_job, lambda job: reverse("ledger_from_file")
            )
        )
