"""The public service search finds services by the words people use (loket/catalog/data/synonyms.yaml)."""

import html
import re

import pytest

from loket.catalog import search
from loket.catalog.services import standard_load
from loket.catalog.standard_file import DEFAULT_STANDARD, parse_standard_file

STANDARD = parse_standard_file(DEFAULT_STANDARD)


@pytest.fixture
def kartoharjo(db):
    return standard_load()


def found(client, q: str) -> list[int]:
    """The numbers of the services the public list shows for a query."""
    response = client.get("/kartoharjo/layanan/", {"q": q})
    assert response.status_code == 200
    return [int(n) for n in re.findall(r"<strong>(\d+)\. ", html.unescape(response.content.decode()))]


# family: (queries people type, numbers of the services they must find, numbers they must not)
FAMILIES = {
    "KTP elektronik": (["e-KTP", "ektp", "E KTP", "KTP elektronik", "ktp el", "Kartu Tanda Penduduk"], {1}, {2, 18}),
    # many requirements ask for a copy of the KK: the literal words still find those services too
    "Kartu Keluarga": (["kartu keluarga", "KK baru", "pecah kk"], {2}, {18}),
    "akta/akte": (["akte", "akta", "AKTE"], {5, 6, 17}, {1, 18}),
    "akte kelahiran": (["akte kelahiran", "akta kelahiran", "akta lahir", "surat lahir"], {5}, {6, 17}),
    "kematian": (["akte kematian", "akta mati", "meninggal dunia", "surat kematian"], {6}, {5}),
    "pindah/datang": (["surat pindah", "pindahan"], {3}, {4}),
    "pendatang": (["pendatang", "pindah masuk"], {4}, {3}),
    "domisili": (["domisili", "surat keterangan domisili"], {3, 4, 15}, {1, 18}),
    "ahli waris": (["warisan", "surat waris"], {7, 17}, {1}),
    "tidak mampu": (["surat miskin", "keterangan tidak mampu", "SKTM"], {8}, {1}),
    "nikah": (["nikah", "belum kawin", "dispensasi"], {9}, {1}),
    "keramaian": (["hajatan", "izin keramaian", "ijin keramaian"], {10}, {11}),
    "penutupan jalan": (["tutup jalan", "izin tutup jalan"], {11}, {10}),
    "SKCK": (["SKCK", "skkb", "surat kelakuan baik", "catatan kepolisian"], {12}, {1}),
    "usaha": (["UMKM", "surat keterangan usaha", "SKU", "izin usaha", "domisili usaha"], {13}, {14}),
    "IMB/PBG": (["IMB", "PBG", "persetujuan bangunan gedung", "izin mendirikan bangunan", "ijin bangunan"],
                {14}, {13, 18}),
    "izin/ijin": (["izin", "ijin", "perijinan"], {10, 11, 13, 14, 16}, {1}),
    "penelitian": (["riset", "survei", "izin penelitian", "skripsi"], {16}, {1}),
    "akta tanah": (["PPAT", "akta jual beli", "hibah", "sertifikat tanah", "AJB"], {17}, {5, 6}),
    "gedung": (["sewa gedung", "aula", "gedung"], {18}, {14}),
    "legalisir": (["legalisir", "cap camat"], {1, 2, 15}, {18}),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_finds_its_services(client, kartoharjo, family):
    queries, must, must_not = FAMILIES[family]
    for q in queries:
        numbers = set(found(client, q))
        assert must <= numbers, (q, numbers)
        assert not (must_not & numbers), (q, numbers)


def test_the_words_of_a_query_narrow_each_other(client, kartoharjo):
    # "akte kelahiran" is one term: the birth-certificate service, and those asking for a copy of one
    assert 5 in found(client, "akte kelahiran") and not {6, 17} & set(found(client, "akte kelahiran"))
    assert found(client, "akta kelahiran") == [5]
    assert set(found(client, "pindah domisili")) == {3, 4}  # 4 (datang) asks for the pindah letter
    assert found(client, "izin keramaian") == [10]


@pytest.mark.parametrize("q", ["paspor", "sim", "e-paspor", "xyzzy"])
def test_an_unknown_word_finds_nothing(client, kartoharjo, q):
    response = client.get("/kartoharjo/layanan/", {"q": q})
    assert found(client, q) == []
    assert "Tidak ada layanan yang cocok" in html.unescape(response.content.decode())


def test_the_search_box_finds_by_synonym_in_htmx_rows_too(client, kartoharjo):
    page = html.unescape(client.get("/kartoharjo/layanan/", {"q": "ektp"}, HTTP_HX_REQUEST="true").content.decode())
    assert "KTP-el" in page and "<html" not in page


def test_every_piece_a_synonym_stands_for_is_in_a_service_name_of_the_standard():
    names = [f"{s.name} {s.short_name}".lower() for s in STANDARD.services]
    assert len(names) == 18
    for fam in search.families():
        for piece in fam.means:
            assert any(piece.lower() in name for name in names), (fam.family, piece)


def test_a_word_belongs_to_one_family_and_the_table_is_read_once():
    assert search.table() is search.table()
    keys = [key for fam in search.families() for key in {search.normal(w) for w in fam.words}]
    assert len(keys) == len(set(keys))


def test_terms_take_the_longest_phrase_first():
    terms = search.terms("KTP elektronik baru")
    assert [t.typed for t in terms] == ["KTP elektronik", "baru"]
    assert terms[0].means == ("KTP-el", "KTP-Elektronik") and terms[1].means == ()
    assert [t.typed for t in search.terms("akte kelahiran")] == ["akte kelahiran"]
    assert search.normal("e-KTP") == search.normal("E KTP") == "ektp"


def test_a_word_in_two_families_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "synonyms.yaml"
    bad.write_text("- {family: a, words: [ktp el], means: [KTP-el]}\n- {family: b, words: [KTP-EL], means: [IMB]}\n")
    monkeypatch.setattr(search, "SYNONYMS_FILE", bad)
    search.families.cache_clear(); search.table.cache_clear()
    try:
        with pytest.raises(ValueError, match="is in 'a' and 'b'"):
            search.table()
    finally:
        search.families.cache_clear(); search.table.cache_clear()
