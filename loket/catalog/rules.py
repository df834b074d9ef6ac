"""Rules written in the standard's requirements, as plain functions."""


# The services whose requirements carry the photo-background rule (service 1, KTP-el).
PHOTO_RULE_SERVICES = frozenset({"ktp-el"})


def photo_background(birth_year: int) -> str:
    """KTP-el pas foto 3 x 2 (service 1, persyaratan): "background merah untuk tahun kelahiran
    ganjil. background biru untuk tahun kelahiran genap." Returns "merah" or "biru"."""
    return "merah" if birth_year % 2 else "biru"
