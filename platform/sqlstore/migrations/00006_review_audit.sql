-- Two-level review (province → ministry) with per-indicator return
-- comments, expert panels, assignments and reviews, and the hash-chained
-- audit trail. Times are BIGINT microseconds since the Unix epoch, UTC.

-- Per-indicator comments of a return, attached to the transition that
-- returned the submission (the current comments are those of the last
-- return while the submission is returned; older ones stay in the history).
CREATE TABLE return_comments (
    transition_id BIGINT NOT NULL REFERENCES transitions (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    comment TEXT NOT NULL,
    PRIMARY KEY (transition_id, code)
);

-- A cycle's expert-review settings (absent row: the defaults).
CREATE TABLE review_settings (
    cycle_id BIGINT PRIMARY KEY REFERENCES cycles (id),
    experts_per_submission INTEGER NOT NULL,
    combine TEXT NOT NULL,
    trim_share {{FLOAT}} NOT NULL,
    expert_mode TEXT NOT NULL,
    blind SMALLINT NOT NULL,
    outlier_points {{FLOAT}} NOT NULL,
    seed BIGINT NOT NULL,
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Experts of the review panels. username links an expert to an account
-- (nullable until accounts exist); conflicts are JSON arrays.
CREATE TABLE experts (
    id {{ID}},
    name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    organisation TEXT NOT NULL,
    username TEXT UNIQUE,
    conflict_pilots TEXT NOT NULL,
    conflict_provinces TEXT NOT NULL,
    active SMALLINT NOT NULL,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One expert assigned to one submission, with its review (state draft or
-- submitted) and the explanation of the choice.
CREATE TABLE assignments (
    id {{ID}},
    cycle_id BIGINT NOT NULL REFERENCES cycles (id),
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    expert_id BIGINT NOT NULL REFERENCES experts (id),
    pseudonym TEXT NOT NULL,
    explanation TEXT NOT NULL,
    override_reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    reopen_reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    UNIQUE (submission_id, expert_id)
);
CREATE INDEX assignments_cycle ON assignments (cycle_id, submission_id);
CREATE INDEX assignments_expert ON assignments (expert_id, cycle_id);

-- An expert's score and comment on one leaf indicator.
CREATE TABLE review_scores (
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    score {{FLOAT}},
    level INTEGER,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (assignment_id, code)
) {{WITHOUT_ROWID}};

-- The audit trail: one row per change, appended in the transaction of the
-- change. Rows form 16 independent hash chains (the chain is chosen by the
-- changed object, so writers of different objects do not wait for each
-- other): in its chain a row has a position chain_seq (1, 2, 3, …) and
-- hash = SHA-256 over prev_hash and the row's fields (platform.AuditHash).
-- audit_head holds each chain's last position and hash, so that deleting
-- the newest rows is detected too. id orders the rows for reading.
CREATE TABLE audit_log (
    id {{ID}},
    chain INTEGER NOT NULL,
    chain_seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (chain, chain_seq)
);
CREATE INDEX audit_log_object ON audit_log (object, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

CREATE TABLE audit_head (
    chain INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (chain, seq, hash) VALUES (0, 0, ''), (1, 0, ''), (2, 0, ''), (3, 0, ''), (4, 0, ''), (5, 0, ''),
    (6, 0, ''), (7, 0, ''), (8, 0, ''), (9, 0, ''), (10, 0, ''), (11, 0, ''), (12, 0, ''), (13, 0, ''), (14, 0, ''), (15, 0, '');
