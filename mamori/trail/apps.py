from django.apps import AppConfig


class TrailConfig(AppConfig):
    name = "mamori.trail"
    verbose_name = "Trail"

    def ready(self):
        # Every model is loaded by now: connect the trail to each organization-owned one.
        from mamori.trail import capture

        capture.connect()
