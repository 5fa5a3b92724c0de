from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "mamori.vendors"
    verbose_name = "Vendors"

    def ready(self):
        from mamori.platform import registry
        from mamori.vendors import actions, cards, imports  # noqa: F401 - actions registers the risk hooks
        from mamori.vendors.api import contracts_router, entrustments_router, vendors_router

        registry.register_api("/vendors", vendors_router)
        registry.register_api("/entrustments", entrustments_router)
        registry.register_api("/contracts", contracts_router)
        registry.register_import(imports.VENDORS)
        registry.register_import(imports.ENTRUSTMENTS)
        registry.register_card(registry.Card("vendors", "vendors/card_stats.html", cards.stats, 20, "stats"))
        registry.register_card(registry.Card("start", "vendors/card_start.html", cards.getting_started, 20))
        registry.register_panel(
            registry.Panel(
                "asset_chain", "ledger.DataAsset", "vendors/panel_asset_chain.html", cards.asset_chain
            )
        )
        registry.register_card(registry.Card("attention", "vendors/card_attention.html", cards.attention, 30))
