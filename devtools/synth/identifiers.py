"""Identifiers: NHS numbers from the test range, and each agency's own local references.

Every identifier is a pure function of a global index and the seed, so chunks generated apart
never collide.
"""

from __future__ import annotations

import zlib

#: The largest population the identifier spaces below can number uniquely.
MAX_PEOPLE = 9_000_000

# NHS numbers: 3-digit prefix + 5-digit stem + ninth digit + check digit. For any stem, at most one
# of the ten ninth digits makes the check digit 10 (invalid), so nine always work: 900,000 numbers
# per prefix. 999 is the reserved test range; beyond 900,000 people the prefixes 998, 997, ...
# follow, which are equally outside every range ever issued (England 3/4/6/7xx, Scotland 0-3xx).
_NHS_STEMS = 100_000
NHS_NUMBERS_PER_PREFIX = _NHS_STEMS * 9
_NHS_STEM_MULTIPLIER = 7_213  # coprime with 100,000
_NINTH_DIGITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(d for d in range(10) if (r + 2 * d) % 11 != 1) for r in range(11)
)

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_NINO_SECOND_LETTERS = "ABCEGHJKLM"  # with a leading Q: a prefix HMRC never allocates

LOCAL_ID_SPACE = 10_000_000


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None where the number is impossible."""
    check = 11 - sum(int(c) * w for c, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_is_valid(number: str) -> bool:
    """Whether ``number`` is ten digits whose last is the right check digit."""
    return len(number) == 10 and number.isdigit() and nhs_check_digit(number[:9]) == int(number[9])


def nhs_number(index: int, seed: int) -> str:
    """The NHS number of the ``index``-th person: unique for every index below MAX_PEOPLE."""
    block, within = divmod(index, NHS_NUMBERS_PER_PREFIX)
    stem_index, position = divmod(within, 9)
    prefix = 999 - block
    stem = (stem_index * _NHS_STEM_MULTIPLIER + seed * 104_729) % _NHS_STEMS
    total = (prefix // 100) * 10 + (prefix // 10 % 10) * 9 + (prefix % 10) * 8
    rest = stem
    for weight in (3, 4, 5, 6, 7):
        rest, digit = divmod(rest, 10)
        total += digit * weight
    ninth = _NINTH_DIGITS[total % 11][position]
    check = 11 - (total + 2 * ninth) % 11
    return f"{prefix}{stem:05d}{ninth}{0 if check == 11 else check}"


class LocalIds:
    """One agency's numbering: an affine bijection of a global index onto 0 .. space-1."""

    __slots__ = ("_multiplier", "_offset", "_space")

    def __init__(self, agency: str, seed: int, space: int = LOCAL_ID_SPACE) -> None:
        key = zlib.crc32(f"{agency}:{seed}".encode())
        multiplier = (key % 4_000_000) * 2 + 1_000_001
        while multiplier % 5 == 0:
            multiplier += 2
        self._multiplier = multiplier
        self._offset = zlib.crc32(f"{seed}:{agency}".encode()) % space
        self._space = space  # a power of ten, so any multiplier coprime with 10 is a bijection

    def of(self, index: int) -> int:
        """The local number for a global index."""
        return (index * self._multiplier + self._offset) % self._space


def upn(la_code: int, number: int) -> str:
    """A unique-pupil-number-like reference: check letter, LA code, nine digits."""
    body = f"{la_code:03d}{number:09d}"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23] + body


def national_insurance_number(number: int) -> str:
    """A NINo-shaped reference with a ``Q`` prefix (never issued), unique for number < 10**7."""
    high, low = divmod(number, 1_000_000)
    return f"Q{_NINO_SECOND_LETTERS[high]}{low:06d}{'ABCD'[number % 4]}"
