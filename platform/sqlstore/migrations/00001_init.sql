-- sceval platform schema, version 1.
-- One history for SQLite and PostgreSQL: {{ID}}, {{FLOAT}}, {{BLOB}} and
-- {{WITHOUT_ROWID}} are replaced per dialect by the migrator (migrate.go).
-- Times are BIGINT microseconds since the Unix epoch, UTC.

CREATE TABLE pilots (
    id {{ID}},
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    batch TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (region_code, batch)
);
CREATE INDEX pilots_province ON pilots (province_code, region_code);
CREATE INDEX pilots_batch ON pilots (batch, region_code);
CREATE INDEX pilots_name ON pilots (name);

CREATE TABLE cycles (
    id {{ID}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    scheme TEXT NOT NULL,
    star_thresholds TEXT NOT NULL,
    opens_at BIGINT,
    due_at BIGINT,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cycles_year ON cycles (year, id);

CREATE TABLE submissions (
    id {{ID}},
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    pilot_id BIGINT NOT NULL REFERENCES pilots (id),
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    completeness {{FLOAT}} NOT NULL DEFAULT 0,
    -- engine inputs recorded on acceptance: one little-endian float64 per
    -- framework leaf, NaN where missing
    inputs {{BLOB}},
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    UNIQUE (cycle_id, pilot_id)
);
CREATE INDEX submissions_pilot ON submissions (pilot_id);
CREATE INDEX submissions_cycle_state ON submissions (cycle_id, state, pilot_id);

CREATE TABLE entries (
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    value {{FLOAT}},
    unit TEXT NOT NULL DEFAULT '',
    level INTEGER,
    narrative TEXT NOT NULL DEFAULT '',
    complete SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (submission_id, code)
) {{WITHOUT_ROWID}};

CREATE TABLE transitions (
    id {{ID}},
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX transitions_submission ON transitions (submission_id, id);

CREATE TABLE evidence (
    id {{ID}},
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX evidence_submission ON evidence (submission_id, code);
CREATE INDEX evidence_sha256 ON evidence (sha256);

-- One stored run per cycle. Node results are columnar: one row per node with
-- the values of every scored pilot (in pilot_ids order) packed little-endian
-- (float64 scores, coverage, contributions with NaN = missing; int32 ranks
-- with 0 = missing; the run's int32 stars with -1 = missing); result_pilots repeats the overall result per pilot so
-- that SQL can find a pilot's results across cycles.
CREATE TABLE result_runs (
    cycle_id BIGINT PRIMARY KEY REFERENCES cycles (id),
    computed_at BIGINT NOT NULL,
    input_hash TEXT NOT NULL,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    scheme TEXT NOT NULL,
    pilots INTEGER NOT NULL,
    warnings TEXT NOT NULL,
    pilot_ids {{BLOB}} NOT NULL,
    stars {{BLOB}} NOT NULL
);

CREATE TABLE result_nodes (
    cycle_id BIGINT NOT NULL REFERENCES result_runs (cycle_id) ON DELETE CASCADE,
    node INTEGER NOT NULL,
    code TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent INTEGER NOT NULL,
    scores {{BLOB}} NOT NULL,
    ranks {{BLOB}} NOT NULL,
    coverage {{BLOB}} NOT NULL,
    contributions {{BLOB}} NOT NULL,
    PRIMARY KEY (cycle_id, node)
);
CREATE INDEX result_nodes_code ON result_nodes (cycle_id, code);

CREATE TABLE result_pilots (
    cycle_id BIGINT NOT NULL REFERENCES result_runs (cycle_id) ON DELETE CASCADE,
    pilot_id BIGINT NOT NULL REFERENCES pilots (id),
    score {{FLOAT}},
    rank INTEGER,
    stars INTEGER,
    coverage {{FLOAT}} NOT NULL,
    PRIMARY KEY (cycle_id, pilot_id)
);
CREATE INDEX result_pilots_pilot ON result_pilots (pilot_id);
