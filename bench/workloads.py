"""The three operations every gateway serves, and the ids each is asked about.

Every query is valid against both our contract (where ``@sensitive`` fields are nullable) and
the supergraph the peers serve (where they keep the subgraphs' non-null types), so one request
body goes to every gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tests.federation.cases.requires_over_key_jump import HOME_COSTS

IdKind = Literal["person", "household", "home"]

_PERSON_SECTIONS = """
fragment PersonSections on Person {
  id
  links { agency records }
  health {
    nhsNumber givenName familyName dateOfBirth sex postcode gpPracticeCode registeredOn
    longTermConditions { snomedCode description diagnosedOn }
    aeAttendances { arrivedAt presentingComplaint disposal }
    mentalHealthContacts { contactDate service team }
  }
  adultSocialCare {
    nhsNumber givenName familyName primarySupportReason
    assessments { assessmentType assessedOn outcome }
    carePackages { serviceType weeklyHours weeklyCost startDate endDate }
  }
  childrensServices {
    givenName familyName dateOfBirth
    childInNeedEpisodes { referralDate startDate endDate primaryNeedCode }
    childProtectionPlans { category startDate endDate }
    lookedAfterEpisodes { legalStatus placementType startDate endDate }
  }
  housing {
    givenName familyName postcode
    tenancies { tenure weeklyRent relationship rentArrears { asOf balance } }
    homelessnessCases { dutyType openedOn outcome members { givenName relationship } }
  }
  police {
    givenName familyName dateOfBirth
    incidents { role incidentType occurredAt postcode }
    warningMarkers { code addedOn }
    domesticAbuseMarker { addedOn }
    mentalHealthMarker { addedOn }
  }
  education {
    givenName familyName sendStatus
    enrolments { school { urn name phase } yearGroup startDate endDate }
    attendance { academicYear term sessionsPossible sessionsAttended attendancePercent }
    exclusions { exclusionType startDate days reason }
  }
  welfare {
    nationalInsuranceNumber givenName familyName
    universalCreditClaims {
      role jointClaim startDate endDate monthlyAward limitedCapabilityForWorkElement
    }
    employmentStatus { status effectiveFrom weeklyHours }
  }
}
"""

PERSON_VIEW = (
    """
query PersonView($id: ID!) {
  person(id: $id) {
    ...PersonSections
    household { id size }
  }
}
"""
    + _PERSON_SECTIONS
)

HOUSEHOLD_VIEW = (
    """
query HouseholdView($id: ID!) {
  household(id: $id) {
    id
    size
    housing {
      tenure bedrooms startDate weeklyRent postcode
      members { givenName familyName relationship }
      rentArrears { asOf balance }
      homelessnessCases { dutyType openedOn members { givenName relationship } }
    }
    members { ...PersonSections }
  }
}
"""
    + _PERSON_SECTIONS
)

# household → members → household → members → household: the index's entities crossed five
# times, with agency entities (health, housing, welfare, police) hanging off three levels.
DEEP_VIEW = """
query DeepView($id: ID!) {
  household(id: $id) {
    id
    members {
      id
      links { agency records }
      health { nhsNumber givenName }
      household {
        id
        size
        housing { tenure weeklyRent }
        members {
          id
          welfare { universalCreditClaims { monthlyAward } }
          police { warningMarkers { code } }
          household { id size }
        }
      }
    }
  }
}
"""


# HOME_COSTS is not over the civic graph but the fixture beside it (bench/fixture.py): a
# @requires chain whose inputs are two and three subgraph hops away over different keys.


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    query: str
    operation: str
    ids: IdKind
    fixture: bool = False  # served by the fixture's subgraphs, not the civic ones


WORKLOADS: tuple[Workload, ...] = (
    Workload("person", "person view", PERSON_VIEW, "PersonView", "person"),
    Workload("household", "household view", HOUSEHOLD_VIEW, "HouseholdView", "household"),
    Workload("deep", "deep (household→members x2→household)", DEEP_VIEW, "DeepView", "household"),
    Workload(
        "homes",
        "home costs (fixture: @requires chain over a key jump)",
        HOME_COSTS,
        "HomeCosts",
        "home",
        fixture=True,
    ),
)


def workload(name: str) -> Workload:
    for item in WORKLOADS:
        if item.name == name:
            return item
    raise KeyError(f"unknown workload {name!r}; known: {', '.join(w.name for w in WORKLOADS)}")


def request_body(item: Workload, entity_id: str) -> dict[str, object]:
    return {"query": item.query, "operationName": item.operation, "variables": {"id": entity_id}}
