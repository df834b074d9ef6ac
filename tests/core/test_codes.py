"""Tracking (8 symbols) and verification (12 symbols) codes from a 32-symbol alphabet without
0/O and 1/I; normalise() reads what a citizen types; display() groups in fours."""

import string

import pytest

from loket.core import codes

LOOK_ALIKES = set("0O1I")

MAKERS = [
    pytest.param(codes.new_tracking_code, 8, id="tracking"),
    pytest.param(codes.new_verification_code, 12, id="verification"),
]


# --- the alphabet ---------------------------------------------------------------------------

def test_alphabet_is_digits_and_capitals_without_0_o_1_i_and_nothing_else():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 32
    assert set(codes.ALPHABET) == set(string.digits + string.ascii_uppercase) - LOOK_ALIKES


def test_documented_lengths():
    assert codes.TRACKING_LENGTH == 8
    assert codes.VERIFICATION_LENGTH == 12
    # 8 symbols of 32 = 40 bits ≈ 1.1 × 10^12 codes; 12 symbols = 60 bits
    assert len(codes.ALPHABET) ** codes.TRACKING_LENGTH == 2 ** 40
    assert len(codes.ALPHABET) ** codes.VERIFICATION_LENGTH == 2 ** 60


# --- new codes ------------------------------------------------------------------------------

@pytest.mark.parametrize("make, length", MAKERS)
def test_new_code_has_the_length_and_only_alphabet_symbols(make, length):
    for _ in range(200):
        code = make()
        assert isinstance(code, str) and len(code) == length
        assert set(code) <= set(codes.ALPHABET)
        assert not set(code) & LOOK_ALIKES


@pytest.mark.parametrize("make, length", MAKERS)
def test_1000_draws_are_all_different(make, length):
    drawn = [make() for _ in range(1000)]
    assert len(set(drawn)) == 1000


@pytest.mark.parametrize("make, length", MAKERS)
def test_every_symbol_of_the_alphabet_is_used(make, length):
    # 1000 codes = 8000+ symbols, ~250 per symbol: a symbol never drawn would mean a shrunken alphabet
    used = set("".join(make() for _ in range(1000)))
    assert used == set(codes.ALPHABET)


@pytest.mark.parametrize("length", [1, 4, 8, 12, 16])
def test_new_code_of_any_length(length):
    code = codes.new_code(length)
    assert len(code) == length and set(code) <= set(codes.ALPHABET)


def test_new_code_uses_the_os_csprng(monkeypatch):
    calls = []

    def choice(seq):
        calls.append(seq)
        return seq[0]

    monkeypatch.setattr(codes.secrets, "choice", choice)
    assert codes.new_tracking_code() == "2" * 8
    assert calls == [codes.ALPHABET] * 8


# --- normalise --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("ABCDEFGH", "ABCDEFGH"),
        ("abcdefgh", "ABCDEFGH"),
        ("AbCd-EfGh", "ABCDEFGH"),
        ("abcd efgh", "ABCDEFGH"),
        ("  abcd-efgh  ", "ABCDEFGH"),
        ("ab-cd ef-gh", "ABCDEFGH"),
        ("ABCD--EFGH", "ABCDEFGH"),
        ("ABCD\tEFGH\n", "ABCDEFGH"),
        ("ABCD.EFGH", "ABCDEFGH"),
        ("ABCD_EFGH", "ABCDEFGH"),
        ("ABCD/EFGH", "ABCDEFGH"),
        ("ABCD–EFGH", "ABCDEFGH"),  # en dash
        ("2345-6789", "23456789"),
        ("abcd-efgh-jkmn", "ABCDEFGHJKMN"),  # a verification code
        ("", ""),
        (None, ""),
        ("- -", ""),
    ],
)
def test_normalise_accepts_any_case_spaces_and_dashes(typed, normalised):
    assert codes.normalise(typed) == normalised


@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("ABCD0EFG", "ABCD0EFG"),
        ("abcdoefg", "ABCDOEFG"),
        ("ABCD1EFG", "ABCD1EFG"),
        ("abcdiefg", "ABCDIEFG"),
        ("0o1i", "0O1I"),
    ],
)
def test_normalise_does_not_map_look_alikes(typed, normalised):
    # None of 0, O, 1, I is in the alphabet, so normalise() keeps them as they are (upper-cased):
    # the code cannot match any real code, and that is the intended outcome.
    out = codes.normalise(typed)
    assert out == normalised
    assert set(out) & LOOK_ALIKES
    assert not set(out) <= set(codes.ALPHABET)


def test_normalise_caps_the_length_at_32():
    assert codes.normalise("A" * 40) == "A" * 32
    assert codes.normalise("-".join(["ABCD"] * 10)) == "ABCD" * 8


@pytest.mark.parametrize("make, length", MAKERS)
def test_normalise_undoes_display_and_lower_case(make, length):
    for _ in range(50):
        code = make()
        assert codes.normalise(codes.display(code)) == code
        assert codes.normalise(codes.display(code).lower()) == code
        assert codes.normalise(" ".join(code.lower())) == code
        assert codes.normalise(code) == code


# --- display ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "code, shown",
    [
        ("ABCDEFGH", "ABCD-EFGH"),
        ("ABCDEFGHJKMN", "ABCD-EFGH-JKMN"),
        ("ABCD", "ABCD"),
        ("ABCDE", "ABCD-E"),
        ("AB", "AB"),
        ("", ""),
    ],
)
def test_display_groups_in_fours(code, shown):
    assert codes.display(code) == shown


@pytest.mark.parametrize("make, length", MAKERS)
def test_display_of_new_codes(make, length):
    code = make()
    shown = codes.display(code)
    groups = shown.split("-")
    assert [len(g) for g in groups] == [4] * (length // 4)
    assert "".join(groups) == code
    assert len(shown) == length + length // 4 - 1
