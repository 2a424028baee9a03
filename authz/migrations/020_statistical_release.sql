-- Statistical releases: every demand table the centre released to a planner, with the query
-- and exactly the cells released (suppressed cells as null), written before the table leaves.
-- request_id matches the hash-chained audit record of the same request (whose response hash
-- covers the same cells); this table is what an IG lead reads to check for differencing.
CREATE TABLE statistical_release (
    release_id     bigserial PRIMARY KEY,
    request_id     text NOT NULL,
    released_at    timestamptz NOT NULL DEFAULT now(),
    subject        text NOT NULL,
    organisation   text NOT NULL,
    purpose        text NOT NULL,
    query          jsonb NOT NULL,        -- unit, groupings, measures
    cells          jsonb NOT NULL,        -- [[group..., measure, count|null], ...]
    suppressed     integer NOT NULL,
    contributions  jsonb NOT NULL,        -- per agency: included, not shared, unavailable...
    complete       boolean NOT NULL
);
CREATE INDEX statistical_release_request ON statistical_release (request_id);
CREATE INDEX statistical_release_organisation ON statistical_release (organisation, released_at);

-- Early-help cohorts: every page of households released to an early-help worker, by id, so
-- the record lists the households disclosed whatever fields the caller selected.
CREATE TABLE cohort_release (
    release_id     bigserial PRIMARY KEY,
    request_id     text NOT NULL,
    released_at    timestamptz NOT NULL DEFAULT now(),
    subject        text NOT NULL,
    organisation   text NOT NULL,
    purpose        text NOT NULL,
    query          jsonb NOT NULL,        -- local authority, minNeeds, needs, page
    households     text[] NOT NULL,
    total          integer NOT NULL,
    unavailable    text[] NOT NULL
);
CREATE INDEX cohort_release_households ON cohort_release USING gin (households);
