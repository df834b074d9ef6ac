from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "loket.registers"
    verbose_name = "Buku register"
