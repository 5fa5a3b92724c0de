from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "mamori.standards"
    verbose_name = "Standards"

    def ready(self) -> None:
        from mamori.platform import registry
        from mamori.standards import actions

        registry.register_panel(
            registry.Panel(
                "star_shortfall", "vendors.Vendor", "standards/panel_vendor_star.html", actions.vendor_panel
            )
        )
        registry.register_card(
            registry.Card("star_short", "standards/card_star_short.html", actions.dashboard_card, 6)
        )
