"""``@sensitive(category: …)``: the sharing vocabulary every personal field carries.

Defined once, as a composed federation directive (``@link`` + ``@composeDirective``), so it
survives composition into the supergraph where the gateway's sharing rules read it. The name
is ours on purpose: Federation 2.6 owns ``@policy``.
"""

from typing import Any

import strawberry
from strawberry.federation.schema_directive import schema_directive
from strawberry.schema_directive import Location

from authz.categories import SensitiveCategory

SENSITIVE_SPEC_URL = "https://specs.civic-mesh.org/sensitive/v1.0"

__all__ = ["SENSITIVE_SPEC_URL", "Sensitive", "SensitiveCategory", "sensitive"]


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
