from django.apps import AppConfig


class RentalsConfig(AppConfig):
    name = "loket.rentals"
    verbose_name = "Sewa gedung pertemuan"
