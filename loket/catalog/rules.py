"""Rules written in the standard's requirements, as plain functions."""


# The services whose requirements carry the photo-background rule (service 1, KTP-el).
PHOTO_RULE_SERVICES = frozenset({"ktp-el"})


def photo_background(birth_year: int) -> str:
    """KTP-el pas foto 3 x 2 (service 1, persyaratan): "background merah untuk tahun kelahiran
    ganjil. background biru untuk tahun kelahiran genap." Returns "merah" or "biru"."""
    return "merah" if birth_year % 2 else "biru"


# The model maklumat of Permenpan RB 15/2014 (Lampiran) that the bundled standard carries until the
# office enters its own (loket/catalog/standards/kartoharjo-2018.yaml). Nobody signed it: the book
# and the home page show it as a model, without the Camat's name or signature.
MODEL_MAKLUMAT = (
    "DENGAN INI, KAMI MENYATAKAN SANGGUP MENYELENGGARAKAN PELAYANAN SESUAI STANDAR PELAYANAN YANG TELAH "
    "DITETAPKAN DAN APABILA TIDAK MENEPATI JANJI INI, KAMI SIAP MENERIMA SANKSI SESUAI PERATURAN "
    "PERUNDANG-UNDANGAN YANG BERLAKU."
)


def _same_words(a: str, b: str) -> bool:
    def norm(x):
        return " ".join((x or "").split()).upper().rstrip(".")
    return norm(a) == norm(b)


def own_maklumat(office) -> bool:
    """The office entered its own maklumat (not empty, not the bundled model wording)."""
    return bool((office.maklumat or "").strip()) and not _same_words(office.maklumat, MODEL_MAKLUMAT)
