-- Data that can be corrected (issue 10 items 7 and 8).
--
-- Evidence: original_name is the name the uploader gave, kept for display;
-- filename is the stored and downloaded name, whose extension belongs to the
-- sniffed type. A deleted evidence row stays in the history (deleted_at,
-- deleted_by) but no longer references its blob (sha256 emptied once the
-- row is deleted, moved to deleted_sha256), so a blob collector that looks
-- for rows with its sha256 sees only live references. uploaded_by is who
-- may delete it.
ALTER TABLE evidence ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN uploaded_by TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN deleted_at BIGINT;
ALTER TABLE evidence ADD COLUMN deleted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN deleted_sha256 TEXT NOT NULL DEFAULT '';
UPDATE evidence SET original_name = filename;
CREATE INDEX evidence_live ON evidence (submission_id, code, sha256) WHERE deleted_at IS NULL;

-- Pilot corrections: one row per changed field, in version order.
CREATE TABLE pilot_changes (
    id {{ID}},
    pilot_id BIGINT NOT NULL REFERENCES pilots (id),
    version INTEGER NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX pilot_changes_pilot ON pilot_changes (pilot_id, id);

-- Region codes in one form: a town's 12-digit statistical code ending in
-- 000 becomes its 9-digit code (the form sceval returns).
UPDATE pilots SET region_code = SUBSTR(region_code, 1, 9)
    WHERE LENGTH(region_code) = 12 AND region_code LIKE '%000';

-- Large pilot imports are staged here in short transactions (so that entry
-- saves interleave with them on SQLite's single writer) and then moved into
-- pilots by one INSERT … SELECT: all or nothing.
CREATE TABLE pilot_import_rows (
    import_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    name TEXT NOT NULL,
    province_code TEXT NOT NULL,
    batch TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (import_id, seq)
);
