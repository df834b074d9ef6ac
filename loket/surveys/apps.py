from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "loket.surveys"
    verbose_name = "Survei Kepuasan Masyarakat"
