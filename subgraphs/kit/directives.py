"""``@sensitive(category: …)`` and ``@public``: how every field is classified.

Every field a subgraph serves is personal data of its agency unless classified otherwise:
``@sensitive(category: …)`` names its category (shared only under an agreement); ``@public``
marks what is not personal data (the mesh's own ids, structure, reference data an agency
publishes), served without one. A field with neither is unclassified and the gateway denies
it. Both are composed federation directives (``@link`` + ``@composeDirective``), so they
survive composition into the supergraph where the gateway's sharing rules read them. The
names are ours on purpose: Federation 2.6 owns ``@policy``.
"""

from typing import Any

import strawberry
from strawberry.federation.schema_directive import schema_directive
from strawberry.schema_directive import Location

from authz.categories import SensitiveCategory

SENSITIVE_SPEC_URL = "https://specs.civic-mesh.org/sensitive/v1.0"

__all__ = [
    "SENSITIVE_SPEC_URL",
    "Public",
    "Sensitive",
    "SensitiveCategory",
    "public",
    "sensitive",
]


@schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="sensitive",
    compose=True,
    import_url=SENSITIVE_SPEC_URL,
    description="Personal data of the given category; shared only under an agreement.",
)
class Sensitive:
    category: str


def sensitive(category: SensitiveCategory, **field_kwargs: Any) -> Any:
    """A Strawberry field marked ``@sensitive(category: …)``."""
    directives = [*field_kwargs.pop("directives", ()), Sensitive(category=category.value)]
    return strawberry.field(directives=directives, **field_kwargs)


@schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="public",
    compose=True,
    import_url=SENSITIVE_SPEC_URL,
    description="Not personal data (ids, structure, published reference data): served "
    "without an agreement.",
)
class Public:
    pass


def public(**field_kwargs: Any) -> Any:
    """A Strawberry field marked ``@public`` (not personal data)."""
    directives = [*field_kwargs.pop("directives", ()), Public()]
    return strawberry.field(directives=directives, **field_kwargs)
