"""Health's subgraph: ``Person.health``."""

from typing import Any

from strawberry.types import Info

from authz.model import PurposeOfUse
from subgraphs.health import queries
from subgraphs.health.types import HealthRecord
from subgraphs.kit import AgencySubgraph, PersonSection, section_loader
from subgraphs.kit import SensitiveCategory as C

_load_patient = section_loader(queries.PATIENT_BY_MESH_ID, HealthRecord)


async def load_health_record(info: Info[Any, Any], mesh_id: str) -> HealthRecord | None:
    """The patient's record; withheld here too (not only at the gateway) when the patient
    opted out and the purpose is beyond individual care: health's own, stricter rule."""
    record: HealthRecord | None = await _load_patient(info, mesh_id)
    context = info.context.mesh_context
    if (
        record is not None
        and record.national_data_opt_out
        and context is not None
        and context.request.purpose is PurposeOfUse.PLANNING
    ):
        return None
    return record


SUBGRAPH = AgencySubgraph(
    name="health",
    person=PersonSection(
        field_name="health",
        type=HealthRecord,
        load=load_health_record,
        category=C.HEALTH,
        description="The person's NHS record; null when health does not know the person.",
    ),
    opt_out_records="SELECT patient_id::text AS local_id FROM patient WHERE national_data_opt_out",
)
