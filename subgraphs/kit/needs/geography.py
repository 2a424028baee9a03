"""Greater Manchester's local authorities and the postcode districts each agency uses to place a
record in one (ONS's postcode directory in a real deployment: a few districts straddle two
authorities, and a district lookup gives each of those to one of them, here M16 to Manchester)."""

LOCAL_AUTHORITIES: dict[str, tuple[str, ...]] = {
    "Bolton": ("BL1", "BL2", "BL3", "BL4", "BL5", "BL6", "BL7"),
    "Bury": ("BL0", "BL8", "BL9", "M25", "M26", "M45"),
    "Manchester": (
        "M1", "M4", "M8", "M9", "M11", "M12", "M13", "M14", "M15", "M16", "M18", "M19", "M20",
        "M21", "M22", "M23", "M40",
    ),
    "Oldham": ("OL1", "OL2", "OL3", "OL4", "OL8", "OL9", "M35"),
    "Rochdale": ("OL10", "OL11", "OL12", "OL15", "OL16", "M24"),
    "Salford": ("M3", "M5", "M6", "M7", "M27", "M28", "M30", "M38", "M44", "M50"),
    "Stockport": ("SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8"),
    "Tameside": ("OL5", "OL6", "OL7", "SK14", "SK15", "SK16", "M34", "M43"),
    "Trafford": ("M17", "M31", "M32", "M33", "M41", "WA14", "WA15"),
    "Wigan": ("WN1", "WN2", "WN3", "WN4", "WN5", "WN6", "WN7", "M29", "M46", "WA3"),
}  # fmt: skip


def known_local_authority(name: str) -> str:
    """The authority's canonical name (case-insensitive); ValueError naming the valid ones."""
    for known in LOCAL_AUTHORITIES:
        if known.lower() == name.strip().lower():
            return known
    raise ValueError(f"unknown local authority {name!r}; use one of {', '.join(LOCAL_AUTHORITIES)}")


def district_rows() -> list[tuple[str, str]]:
    """(postcode district, local authority) for every district, each district once."""
    return [(d, la) for la, districts in LOCAL_AUTHORITIES.items() for d in districts]
