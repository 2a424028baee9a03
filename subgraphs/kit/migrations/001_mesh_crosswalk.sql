-- Shared by every agency store: the agency's own crosswalk from mesh ids to its local ids.
-- Written by `mesh link` from the index's answer; the index itself never sees local ids.
CREATE TABLE mesh_crosswalk (
    entity     text NOT NULL CHECK (entity IN ('Person', 'Household')),
    local_id   text NOT NULL,
    mesh_id    text NOT NULL,
    linked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, local_id)
);
CREATE INDEX mesh_crosswalk_mesh_id ON mesh_crosswalk (entity, mesh_id);
