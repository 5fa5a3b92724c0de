from django.apps import AppConfig


class TaskLeasesConfig(AppConfig):
    name = "mamori.taskleases"
    label = "taskleases"
    default_auto_field = "django.db.models.BigAutoField"
