from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mamori.platform.web"
    verbose_name = "Web"

    def ready(self):
        from mamori.platform import registry
        from mamori.platform.web import views

        registry.register_card(
            registry.Card("members", "tenancy/card_stats.html", views.members_card, 90, "stats")
        )
        registry.register_card(registry.Card("recent", "trail/card_recent.html", views.recent_card, 90))
