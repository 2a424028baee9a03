"""Who a record is about: the identity fields every agency holds, with their categories.

Agency types inherit these bases instead of repeating the fields. Strawberry prints inherited
fields first, in the order the bases are named, then the type's own: name the identifier base
(``NhsNumbered``) before ``RecordSubject`` so ``nhsNumber`` leads, as it always has. A type may
redeclare an inherited field (health's NHS number is never null); the field keeps its place.
The bases themselves are never in a schema: only the types that inherit them are.
"""

from datetime import date

import strawberry

from subgraphs.kit.directives import SensitiveCategory as C
from subgraphs.kit.directives import sensitive


@strawberry.type(description="A person's name, date of birth and sex, as an agency holds them.")
class PersonIdentity:
    given_name: str = sensitive(C.IDENTITY)
    family_name: str = sensitive(C.IDENTITY)
    date_of_birth: date = sensitive(C.IDENTITY)
    sex: str = sensitive(C.IDENTITY)


@strawberry.type(description="The person an agency's record is about, with their address.")
class RecordSubject(PersonIdentity):
    address_line: str = sensitive(C.CONTACT)
    postcode: str | None = sensitive(C.CONTACT)


@strawberry.type(description="A record that may carry the person's NHS number.")
class NhsNumbered:
    nhs_number: str | None = sensitive(C.IDENTITY)
