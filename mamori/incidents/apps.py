from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    verbose_name = "Incidents"

    def ready(self):
        from django.urls import reverse

        from mamori.incidents import actions, cards, texts
        from mamori.incidents.api import router
        from mamori.platform import messages, registry

        registry.register_api("/incidents", router)
        registry.register_card(
            registry.Card("incidents", "incidents/card_open.html", cards.open_incidents, 10)
        )
        messages.register(texts.TEXTS)
        registry.register_file_job(
            registry.FileJobKind(
                actions.SCAN_JOB,
                actions.run_scan_job,
                lambda job: reverse("incidents:detail", args=[job.params["incident"]]),
            )
        )
