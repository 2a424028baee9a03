"""Pseudonymisation at source: an agency turns its own identity rows into keyed hashes.

Every agency runs this on its ``mesh_identity`` view with the linkage key, which the index never
holds. What leaves the agency is, per record, an opaque ``record_ref`` (a keyed hash of its local
id, which only the agency can recompute) and keyed hash tokens of normalised identifiers:

====================  ====================================================  ===================
kind                  value hashed (after normalisation)                    tolerates
====================  ====================================================  ===================
``nhs``               NHS number, only when the check digit is valid        everything else
``name_dob``          surname, forename initial, date of birth              forename variants
``fullname_dob``      canonical forename, surname, date of birth            nicknames (Bob)
``phonetic_dob``      Soundex of surname, canonical forename, DOB           surname typos
``name_start_dob``    canonical forename, surname's first 2 letters, DOB    later surname slips
``forename_dob``      canonical forename, date of birth                     any surname change
``name_dob_swapped``  surname, initial, birth year, {day, month} unordered  day/month swapped
``forename_swapped``  canonical forename, birth year, {day, month}          swapped and a slip
``dob_postcode``      date of birth, postcode                               name changes
``name_postcode``     surname, forename initial, postcode                   a wrong birth date
``uprn``              the property's UPRN (also the household's token)      missing postcode
``address``           address line (street kind spelt out), postcode        missing UPRN
====================  ====================================================  ===================

The forename initial is the initial of the canonical forename, so "Bob" and "Robert" agree.
Each token is ``HMAC-SHA256(key, kind + ":" + value)``, so equal values give equal tokens only
under the same key, and a token of one kind never equals one of another kind.
"""

from __future__ import annotations

import hashlib
import hmac
import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

TOKEN_KINDS: tuple[str, ...] = (
    "nhs",
    "name_dob",
    "fullname_dob",
    "phonetic_dob",
    "name_start_dob",
    "forename_dob",
    "name_dob_swapped",
    "forename_swapped",
    "dob_postcode",
    "name_postcode",
    "uprn",
    "address",
)
TOKEN_BYTES = 32


# Real-world short forms -> the full name they stand for. Where the full name depends on sex,
# _BY_SEX decides; a spelling variant maps to one spelling (Katherine -> catherine).
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "robert": ("bob", "bobby", "rob", "robbie"),
    "william": ("bill", "billy", "will", "willie"),
    "elizabeth": ("liz", "lizzie", "lizzy", "beth", "betty", "bess", "libby"),
    "margaret": ("maggie", "peggy", "meg", "madge", "marge"),
    "catherine": ("katherine", "kathryn", "cathy", "kathy", "cath", "kate", "katie", "kat"),
    "james": ("jim", "jimmy", "jamie"),
    "michael": ("mike", "mick", "micky", "mikey"),
    "thomas": ("tom", "tommy"),
    "christopher": ("kit",),
    "anthony": ("tony", "ant"),
    "richard": ("rich", "richie", "rick", "dick"),
    "joseph": ("joe", "joey"),
    "daniel": ("dan", "danny"),
    "matthew": ("matt", "matty"),
    "jennifer": ("jenny", "jen", "jenni"),
    "rebecca": ("becky", "becca", "bex"),
    "susan": ("sue", "susie", "suzy"),
    "deborah": ("debbie", "debs", "deb", "debra"),
    "jessica": ("jess", "jessie"),
    "benjamin": ("ben", "benny"),
    "nicholas": ("nick", "nicky"),
    "jonathan": ("jon", "jonny"),
    "andrew": ("andy", "drew"),
    "david": ("dave", "davey"),
    "stephen": ("steven", "steve", "stevie"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "victoria": ("vicky", "vicki", "tori"),
    "abigail": ("abbie", "abby", "abi"),
    "oliver": ("ollie", "olly"),
    "frederick": ("fred", "freddie", "freddy"),
    "henry": ("harry", "hal", "hank"),
    "kenneth": ("ken", "kenny"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "peter": ("pete",),
    "philip": ("phillip", "phil"),
    "timothy": ("tim", "timmy"),
    "gregory": ("greg",),
    "zachary": ("zac", "zack", "zach"),
    "dorothy": ("dot", "dottie", "dolly"),
    "barbara": ("babs", "barb"),
    "pamela": ("pam",),
    "jacqueline": ("jackie", "jacqui"),
    "kimberley": ("kimberly", "kim"),
    "eleanor": ("ellie", "nell", "nellie"),
    "isabella": ("bella", "izzy", "isabelle"),
    "amelia": ("millie", "milly"),
    "joshua": ("josh",),
    "nathan": ("nate",),
    "raymond": ("ray",),
    "gillian": ("gill", "jill"),
    "valerie": ("val",),
    "joanne": ("joanna",),
    "natalie": ("nat",),
    "kathleen": ("kath",),
    "muhammad": ("mohammed", "mohammad", "muhammed", "mohamed", "mo"),
    "arthur": ("art", "artie"),
    "albert": ("albie", "bert", "bertie"),
    "bernard": ("bernie",),
    "derek": ("del",),
    "gordon": ("gordy",),
    "lawrence": ("laurence", "larry", "laurie"),
    "leonard": ("len", "lenny"),
    "douglas": ("doug", "dougie"),
    "gerald": ("gerry", "jerry"),
    "geoffrey": ("jeff", "geoff", "jeffrey"),
    "maureen": ("mo",),
    "patrick": ("paddy", "pat"),
    "rosemary": ("rosie",),
    "susannah": ("susanna",),
    "theodore": ("theo",),
    "alfred": ("alf", "alfie"),
    "ernest": ("ernie",),
    "walter": ("wally", "walt"),
    "stanley": ("stan",),
    "terence": ("terry", "tel"),
    "leslie": ("les",),
    "sandra": ("sandy",),
    "christine": ("chrissie", "chrissy"),
    "samuel": ("sammy",),
    "samantha": ("sammie",),
    "alexander": ("alec", "sandy"),
    "alexandra": ("lexi", "alexa"),
    "charlotte": ("lottie", "lotte"),
    "charles": ("chas", "chuck", "chaz"),
    "nicola": ("nikki",),
    "patricia": ("trish", "tricia", "patsy"),
    "mathilda": ("matilda", "tilly", "tilda"),
}
_BY_SEX: dict[str, dict[str, str]] = {
    "alex": {"M": "alexander", "F": "alexandra"},
    "chris": {"M": "christopher", "F": "christine"},
    "sam": {"M": "samuel", "F": "samantha"},
    "charlie": {"M": "charles", "F": "charlotte"},
    "nicky": {"M": "nicholas", "F": "nicola"},
    "jo": {"M": "joseph", "F": "joanne"},
    "pat": {"M": "patrick", "F": "patricia"},
    "terry": {"M": "terence", "F": "teresa"},
    "les": {"M": "leslie", "F": "lesley"},
    "sandy": {"M": "alexander", "F": "sandra"},
    "mo": {"M": "muhammad", "F": "maureen"},
    "frankie": {"M": "francis", "F": "frances"},
    "billie": {"M": "william", "F": "wilhelmina"},
}
CANONICAL_FORENAME: dict[str, str] = {
    short: full for full, shorts in _NICKNAMES.items() for short in shorts if short not in _BY_SEX
}

_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_WORDS = re.compile(r"[a-z0-9]+")
_STREET_KINDS = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "cl": "close", "ln": "lane",
    "dr": "drive", "gr": "grove", "gro": "grove", "cres": "crescent", "cr": "crescent",
    "terr": "terrace", "ter": "terrace", "gdns": "gardens", "pl": "place", "sq": "square",
    "ct": "court", "wk": "walk", "wy": "way", "pde": "parade", "hse": "house",
}  # fmt: skip


@lru_cache(maxsize=200_000)
def normalise_name(value: str | None) -> str:
    """Lower-case ASCII letters only, without accents, punctuation or spaces (O'Brien: obrien)."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


@lru_cache(maxsize=50_000)
def canonical_forename(given_name: str | None, sex: str | None = None) -> str:
    """The full name a forename stands for (Bob -> robert); the forename itself when not a short
    form. Only the first word counts, so a middle name given or not makes no difference."""
    first = normalise_name((given_name or "").split(" ", 1)[0].split("-", 1)[0]) or normalise_name(
        given_name
    )
    by_sex = _BY_SEX.get(first)
    if by_sex is not None:
        return by_sex.get(sex or "", first)
    return CANONICAL_FORENAME.get(first, first)


@lru_cache(maxsize=200_000)
def normalise_postcode(value: str | None) -> str | None:
    """Upper case without spaces or punctuation (m1  1ae: M11AE); None unless 5 to 7 characters."""
    if not value:
        return None
    compact = _NOT_ALNUM.sub("", value.upper())
    return compact if 5 <= len(compact) <= 7 else None


def normalise_address_line(value: str | None) -> str:
    """Lower-case words without punctuation, the last one spelt out (12 Albert Rd: 12 albert
    road); flat and house numbers are kept, so flats in one block stay apart."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    words = _WORDS.findall(decomposed.encode("ascii", "ignore").decode())
    if words:
        words[-1] = _STREET_KINDS.get(words[-1], words[-1])
    return " ".join(words)


def normalise_nhs_number(value: str | None) -> str | None:
    """Digits only, and only when they make a valid NHS number (modulus 11 check digit)."""
    if not value:
        return None
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) != 10:
        return None
    check = 11 - sum(map(operator.mul, map(int, digits[:9]), _NHS_WEIGHTS)) % 11
    if check == 10:
        return None
    return digits if (0 if check == 11 else check) == int(digits[9]) else None


@lru_cache(maxsize=200_000)
def soundex(name: str) -> str:
    """American Soundex of a normalised name (robert -> r163); '' for an empty name."""
    if not name:
        return ""
    out = [name[0]]
    last = _SOUNDEX_CODES.get(name[0], "")
    for c in name[1:]:
        code = _SOUNDEX_CODES.get(c, "")
        if code and code != last:
            out.append(code)
            if len(out) == 4:
                break
        if c not in "hw":
            last = code
    return "".join(out).ljust(4, "0")


def record_ref(key: bytes, agency: str, local_id: str) -> bytes:
    """The opaque reference of one agency record: only the agency can tell which record it is."""
    return hmac.digest(key, f"ref:{agency}:{local_id}".encode(), "sha256")


def token(key: bytes, kind: str, value: str) -> bytes:
    """The keyed hash of one normalised identifier."""
    return hmac.digest(key, f"{kind}:{value}".encode(), "sha256")


def uprn_token(key: bytes, uprn: int) -> bytes:
    """The address token: what an agency computes for a UPRN to find its mesh household."""
    return token(key, "uprn", str(uprn))


class KeyedHash:
    """HMAC-SHA256 under one key, its padded-key states computed once (four times faster than
    ``hmac.digest`` per call, for millions of records). Same results as the functions above."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def digest(self, message: str) -> bytes:
        inner = self._inner.copy()
        inner.update(message.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def record_ref(self, agency: str, local_id: str) -> bytes:
        return self.digest(f"ref:{agency}:{local_id}")

    def uprn_token(self, uprn: int) -> bytes:
        return self.digest(f"uprn:{uprn}")

    def tokens(self, identity: Identity) -> dict[str, bytes]:
        return {kind: self.digest(f"{kind}:{v}") for kind, v in identity_values(identity).items()}

    def token(self, kind: str, value: str) -> bytes:
        return self.digest(f"{kind}:{value}")


@dataclass(frozen=True)
class Identity:
    """One row of an agency's ``mesh_identity`` view (the fields linkage uses)."""

    local_id: str
    nhs_number: str | None
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    sex: str | None
    postcode: str | None
    uprn: int | None
    address_line: str | None = None
    address_confirmed_on: date | None = None  # when the agency last confirmed the address


def identity_values(identity: Identity) -> dict[str, str]:
    """The normalised value behind each token kind the record can have (no key involved)."""
    return values_of(
        identity.nhs_number,
        identity.given_name,
        identity.family_name,
        identity.date_of_birth,
        identity.sex,
        identity.postcode,
        identity.uprn,
        identity.address_line,
    )


def values_of(
    nhs_number: str | None,
    given_name: str | None,
    family_name: str | None,
    born: date | None,
    sex: str | None,
    postcode_text: str | None,
    uprn: int | None,
    address_line: str | None,
) -> dict[str, str]:
    """:func:`identity_values` from the fields themselves (what a million-record loop calls)."""
    values: dict[str, str] = {}
    nhs = normalise_nhs_number(nhs_number)
    if nhs:
        values["nhs"] = nhs
    surname = normalise_name(family_name)
    forename = canonical_forename(given_name, sex)
    postcode = normalise_postcode(postcode_text)
    initial = forename[:1]
    if surname and initial and born is not None:
        dob = born.isoformat()
        values["name_dob"] = f"{surname}|{initial}|{dob}"
        values["fullname_dob"] = f"{forename}|{surname}|{dob}"
        values["phonetic_dob"] = f"{soundex(surname)}|{forename}|{dob}"
        values["name_start_dob"] = f"{forename}|{surname[:2]}|{dob}"
        values["forename_dob"] = f"{forename}|{dob}"
        if born.day <= 12 and born.day != born.month:
            low, high = sorted((born.day, born.month))
            values["name_dob_swapped"] = f"{surname}|{initial}|{born.year}|{low:02d}|{high:02d}"
            values["forename_swapped"] = f"{forename}|{born.year}|{low:02d}|{high:02d}"
    if born is not None and postcode:
        values["dob_postcode"] = f"{born.isoformat()}|{postcode}"
    if surname and initial and postcode:
        values["name_postcode"] = f"{surname}|{initial}|{postcode}"
    if uprn is not None:
        values["uprn"] = str(uprn)
    line = normalise_address_line(address_line)
    if line and postcode:
        values["address"] = f"{line}|{postcode}"
    return values


def identity_tokens(key: bytes, identity: Identity) -> dict[str, bytes]:
    """Keyed hash tokens for one record: the only identity that leaves the agency."""
    return {kind: token(key, kind, value) for kind, value in identity_values(identity).items()}
