from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    verbose_name = "Incidents"

    def ready(self):
        from mamori.incidents import actions, cards, texts  # noqa: F401 - actions registers the reassessment hook
        from mamori.incidents.api import router
        from mamori.platform import messages, registry

        registry.register_api("/incidents", router)
        registry.register_card(
            registry.Card("incidents", "incidents/card_open.html", cards.open_incidents, 10)
        )
        messages.register(texts.TEXTS)
