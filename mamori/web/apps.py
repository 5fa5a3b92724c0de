from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mamori.web"
    verbose_name = "Web"
