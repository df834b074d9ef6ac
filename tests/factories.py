"""Valid sample data for tests."""

import datetime as dt


def applicant_data(**over):
    """A valid applicant of the mini office: a woman born 5 August 1990 (day + 40 = 45)."""
    data = {
        "nik": "3577014508900001", "kk_number": "3577010101100002", "name": "Siti Aminah",
        "birth_date": dt.date(1990, 8, 5), "sex": "P", "marital_status": "kawin", "address": "Jl. Contoh 1",
        "rt": "1", "rw": "2", "kelurahan": "35.77.09.1001", "phone": "081234567890", "email": "",
    }
    data.update(over)
    return data
