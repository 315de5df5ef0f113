-- The audit queue: audit rows written, unchained, in the statement of the
-- change they record (PostgreSQL entry saves: one round trip), and moved
-- into audit_log, chained and hashed, by the chainer (sqlstore
-- chainQueued) in queue order, at most a chainer period later and always
-- before the trail is read. SQLite chains every row in its transaction and
-- leaves this table empty. Columns are those of audit_log before chaining.
CREATE TABLE audit_queue (
    id {{ID}},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL
);
