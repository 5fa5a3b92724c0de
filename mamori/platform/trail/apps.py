from django.apps import AppConfig


class TrailConfig(AppConfig):
    name = "mamori.platform.trail"
    verbose_name = "Trail"

    def ready(self):
        from mamori.platform import messages, registry
        from mamori.platform.trail import capture, present
        from mamori.platform.trail.api import router

        # Every model is loaded by now: connect the trail to each organization-owned one.
        capture.connect()
        registry.register_api("/trail", router)
        messages.register(present.TEXTS)
