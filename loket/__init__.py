"""Loket: the service-office system of an Indonesian kecamatan."""
