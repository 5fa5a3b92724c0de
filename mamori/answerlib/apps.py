from django.apps import AppConfig


class AnswerLibConfig(AppConfig):
    name = "mamori.answerlib"
    verbose_name = "Answer library"
