from django.apps import AppConfig


class TrailConfig(AppConfig):
    name = "mamori.trail"
    verbose_name = "Trail"
