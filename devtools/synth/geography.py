"""Greater Manchester's ten local authorities, their postcodes, synthetic addresses and UPRNs."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from random import Random

from devtools.synth.names import BLOCK_NAMES, STREET_KINDS, STREET_NAMES

#: Census 2021 usual residents of Greater Manchester (ONS combined-authority figure).
GREATER_MANCHESTER_POPULATION = 2_867_800


@dataclass(frozen=True)
class Authority:
    """A local authority: its Census 2021 population and the codes its services use."""

    name: str
    population: int  # Census 2021 usual residents (ONS, rounded to 100 except Manchester)
    postcode_districts: tuple[str, ...]
    la_code: int  # DfE local-authority number, as in UPNs and school returns
    gp_prefix: str  # first three characters of the area's GP practice codes
    deprivation: float  # relative need, 1.0 is roughly the Greater Manchester average
    places: tuple[str, ...]  # localities, used to name schools and teams


AUTHORITIES: tuple[Authority, ...] = (
    Authority(
        "Bolton",
        296_000,
        ("BL1", "BL2", "BL3", "BL4", "BL5", "BL6", "BL7"),
        350,
        "P82",
        1.05,
        (
            "Farnworth",
            "Horwich",
            "Westhoughton",
            "Little Lever",
            "Breightmet",
            "Astley Bridge",
            "Halliwell",
            "Harwood",
        ),
    ),
    Authority(
        "Bury",
        193_800,
        ("BL0", "BL8", "BL9", "M25", "M26", "M45"),
        351,
        "P83",
        0.85,
        ("Radcliffe", "Prestwich", "Whitefield", "Ramsbottom", "Tottington", "Unsworth", "Elton"),
    ),
    Authority(
        "Manchester",
        551_938,
        (
            "M1",
            "M4",
            "M8",
            "M9",
            "M11",
            "M12",
            "M13",
            "M14",
            "M15",
            "M16",
            "M18",
            "M19",
            "M20",
            "M21",
            "M22",
            "M23",
            "M40",
        ),
        352,
        "P84",
        1.3,
        (
            "Ancoats",
            "Ardwick",
            "Blackley",
            "Burnage",
            "Chorlton",
            "Crumpsall",
            "Didsbury",
            "Fallowfield",
            "Gorton",
            "Harpurhey",
            "Hulme",
            "Levenshulme",
            "Longsight",
            "Moss Side",
            "Moston",
            "Newton Heath",
            "Rusholme",
            "Withington",
            "Wythenshawe",
            "Baguley",
        ),
    ),
    Authority(
        "Oldham",
        242_100,
        ("OL1", "OL2", "OL3", "OL4", "OL8", "OL9", "M35"),
        353,
        "P85",
        1.2,
        (
            "Chadderton",
            "Failsworth",
            "Royton",
            "Shaw",
            "Lees",
            "Saddleworth",
            "Werneth",
            "Hollinwood",
            "Coldhurst",
        ),
    ),
    Authority(
        "Rochdale",
        223_800,
        ("OL10", "OL11", "OL12", "OL15", "OL16", "M24"),
        354,
        "P86",
        1.2,
        (
            "Heywood",
            "Middleton",
            "Littleborough",
            "Milnrow",
            "Castleton",
            "Wardle",
            "Kirkholt",
            "Norden",
        ),
    ),
    Authority(
        "Salford",
        270_800,
        ("M3", "M5", "M6", "M7", "M27", "M28", "M30", "M38", "M44", "M50"),
        355,
        "P87",
        1.15,
        (
            "Eccles",
            "Swinton",
            "Walkden",
            "Worsley",
            "Irlam",
            "Cadishead",
            "Pendleton",
            "Broughton",
            "Ordsall",
            "Weaste",
        ),
    ),
    Authority(
        "Stockport",
        294_800,
        ("SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8"),
        356,
        "P88",
        0.75,
        (
            "Cheadle",
            "Bramhall",
            "Hazel Grove",
            "Marple",
            "Reddish",
            "Edgeley",
            "Heaton Moor",
            "Offerton",
            "Romiley",
            "Brinnington",
        ),
    ),
    Authority(
        "Tameside",
        231_100,
        ("OL5", "OL6", "OL7", "SK14", "SK15", "SK16", "M34", "M43"),
        357,
        "P89",
        1.1,
        (
            "Ashton",
            "Hyde",
            "Stalybridge",
            "Denton",
            "Droylsden",
            "Dukinfield",
            "Mossley",
            "Audenshaw",
        ),
    ),
    Authority(
        "Trafford",
        235_100,
        ("M16", "M17", "M31", "M32", "M33", "M41", "WA14", "WA15"),
        358,
        "P91",
        0.7,
        (
            "Stretford",
            "Sale",
            "Altrincham",
            "Urmston",
            "Partington",
            "Timperley",
            "Hale",
            "Old Trafford",
        ),
    ),
    Authority(
        "Wigan",
        329_300,
        ("WN1", "WN2", "WN3", "WN4", "WN5", "WN6", "WN7", "M29", "M46", "WA3"),
        359,
        "P92",
        1.0,
        (
            "Leigh",
            "Hindley",
            "Ince",
            "Atherton",
            "Tyldesley",
            "Standish",
            "Orrell",
            "Golborne",
            "Pemberton",
        ),
    ),
)

_CUMULATIVE_SHARE = tuple(
    accumulate(a.population / sum(x.population for x in AUTHORITIES) for a in AUTHORITIES)
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # inward codes never use C, I, K, M, O or V

# UPRNs: an affine bijection of the address number onto 12-digit values.
_UPRN_BASE = 100_000_000_000
_UPRN_SPACE = 100_000_000_000
_UPRN_MULTIPLIER = 48_271_963  # odd and not a multiple of 5, so coprime with the space


def authority_at(u: float) -> Authority:
    """The authority a uniform draw ``u`` in [0, 1) falls in, by Census 2021 population share."""
    return AUTHORITIES[min(bisect_right(_CUMULATIVE_SHARE, u), len(AUTHORITIES) - 1)]


@dataclass(frozen=True, slots=True)
class Address:
    """A residential property."""

    uprn: int
    line: str
    postcode: str


def uprn(address_number: int, seed: int) -> int:
    """A 12-digit UPRN, distinct for each address number below 10**11."""
    return _UPRN_BASE + (address_number * _UPRN_MULTIPLIER + seed * 7_919) % _UPRN_SPACE


def postcode(rng: Random, authority: Authority) -> str:
    """A plausible unit postcode in one of the authority's districts, e.g. ``M14 5RT``."""
    r = rng.random
    districts = authority.postcode_districts
    return (
        f"{districts[int(r() * len(districts))]} {int(r() * 9) + 1}"
        f"{_INWARD_LETTERS[int(r() * 20)]}{_INWARD_LETTERS[int(r() * 20)]}"
    )


def address(rng: Random, authority: Authority, address_number: int, seed: int) -> Address:
    """A synthetic street address (about one in six a flat) with its UPRN."""
    r = rng.random
    if r() < 0.16:
        line = (
            f"Flat {int(r() * 40) + 1}, {BLOCK_NAMES[int(r() * len(BLOCK_NAMES))]} "
            f"{'House' if r() < 0.5 else 'Court'}"
        )
    else:
        line = (
            f"{int(r() * 180) + 1} {STREET_NAMES[int(r() * len(STREET_NAMES))]} "
            f"{STREET_KINDS[int(r() * len(STREET_KINDS))]}"
        )
    return Address(uprn(address_number, seed), line, postcode(rng, authority))
