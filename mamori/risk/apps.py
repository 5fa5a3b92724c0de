from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "mamori.risk"
    verbose_name = "Risk"

    def ready(self):
        from mamori.risk import rating

        for event in rating.INPUTS:
            event.connect(rating.on_input_changed, dispatch_uid=f"mamori.risk.rating:{event.name}")
