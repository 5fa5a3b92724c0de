from django.apps import AppConfig


class ChecksheetsConfig(AppConfig):
    name = "mamori.checksheets"
    verbose_name = "Check sheets"
