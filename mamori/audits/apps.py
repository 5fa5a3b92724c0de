from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "mamori.audits"
    verbose_name = "Audits"

    def ready(self):
        from mamori.audits import actions, next, texts  # noqa: F401 - registers the rating hooks
        from mamori.audits.api import actions_router, audits_router, findings_router
        from mamori.platform import messages, registry

        registry.register_api("/audits", audits_router)
        registry.register_api("/findings", findings_router)
        registry.register_api("/corrective-actions", actions_router)
        messages.register(texts.TEXTS)
        registry.register_card(registry.Card("todo", "audits/card_todo.html", next.todo, 5))
        registry.register_card(registry.Card("charts", "audits/card_charts.html", next.charts, 15))
        from mamori.audits.training import EMPLOYEES

        registry.register_import(EMPLOYEES)
