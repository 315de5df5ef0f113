-- The programme's rules (issue 10): completeness and coverage thresholds,
-- not-applicable leaves, deadlines in a time zone with extensions, the
-- stored demo flag, a record of cycle decisions (publication overrides,
-- retractions, extensions), what a result run was computed from (for
-- staleness), per-pilot coverage flags, and published frameworks.
--
-- Existing cycles keep the behaviour they had: no minimum completeness and
-- no coverage threshold (0); new cycles get the service's defaults.
-- An entry marked not applicable is stored with level 0 (levels are 1..n),
-- no value, and complete = 1: it counts as answered.

ALTER TABLE cycles ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
ALTER TABLE cycles ADD COLUMN min_completeness {{FLOAT}} NOT NULL DEFAULT 0;
ALTER TABLE cycles ADD COLUMN coverage_threshold {{FLOAT}} NOT NULL DEFAULT 0;
ALTER TABLE cycles ADD COLUMN not_applicable TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cycles ADD COLUMN demo SMALLINT NOT NULL DEFAULT 0;

-- Decisions on a cycle that must stay on record: kind is 'publish_override',
-- 'retract' or 'extension'; pilot_id and due_at are set for extensions.
CREATE TABLE cycle_events (
    id {{ID}},
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    kind TEXT NOT NULL,
    pilot_id BIGINT REFERENCES pilots (id),
    due_at BIGINT,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX cycle_events_cycle ON cycle_events (cycle_id, id);

-- The current extension of each pilot in a cycle (the history is in
-- cycle_events).
CREATE TABLE extensions (
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    pilot_id BIGINT NOT NULL REFERENCES pilots (id),
    due_at BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, pilot_id)
);

-- basis digests what the run was computed from (cycle rules and accepted
-- inputs): publishing compares it with the current one.
ALTER TABLE result_runs ADD COLUMN basis TEXT NOT NULL DEFAULT '';
-- missing: the pilot's unreported applicable leaves, comma-separated;
-- ranked = 0 when the pilot is below the cycle's coverage threshold.
ALTER TABLE result_pilots ADD COLUMN missing TEXT NOT NULL DEFAULT '';
ALTER TABLE result_pilots ADD COLUMN ranked SMALLINT NOT NULL DEFAULT 1;

-- Published frameworks: the file as uploaded, immutable per version.
CREATE TABLE frameworks (
    framework_id TEXT NOT NULL,
    version TEXT NOT NULL,
    body TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (framework_id, version)
);
