package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sceval/sceval/platform"
)

// pendingAudit is a change recorded in a write transaction, waiting for the
// commit.
type pendingAudit struct {
	at             time.Time
	actor, address string
	ev             platform.AuditEvent
}

// record notes one change for the audit trail: the one call every write
// path makes. Who and from where come from ctx (the caller's identity and
// address, not the transaction's context, which for group commits is not the
// caller's); the rows are appended by write just before it commits, so a
// change and its audit row commit or roll back together.
func (tx *wtx) record(ctx context.Context, ev platform.AuditEvent) {
	tx.audit = append(tx.audit, pendingAudit{at: time.Now().UTC().Truncate(time.Microsecond),
		actor: platform.ActorOf(ctx), address: platform.ClientAddressFrom(ctx), ev: ev})
}

// appendAudit appends tx's recorded changes to the chain. The head row is
// read with FOR UPDATE on PostgreSQL, which serialises appenders: two
// transactions never chain to the same predecessor. On SQLite the single
// writer connection serialises them already. The lock is taken last, just
// before the commit, so it is held only for the inserts.
func (s *Store) appendAudit(ctx context.Context, tx *wtx) error {
	if len(tx.audit) == 0 {
		return nil
	}
	lock := ""
	if s.dialect == dialectPostgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	if seq == 0 {
		prev = platform.GenesisHash
	}
	for _, p := range tx.audit {
		r, err := auditRecord(p, seq+1, prev)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, address, action, object, before_json, after_json, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, r.Seq, micros(r.At), r.Actor, r.Address, r.Action, r.Object,
			string(r.Before), string(r.After), r.PrevHash, r.Hash); err != nil {
			return fmt.Errorf("append audit row %d: %w", r.Seq, err)
		}
		seq, prev = r.Seq, r.Hash
	}
	tx.audit = nil
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev); err != nil {
		return fmt.Errorf("update audit head: %w", err)
	}
	return nil
}

// auditRecord builds and hashes row seq.
func auditRecord(p pendingAudit, seq int64, prev string) (platform.AuditRecord, error) {
	before, err := platform.AuditJSON(p.ev.Before)
	if err != nil {
		return platform.AuditRecord{}, fmt.Errorf("%s %s: %w", p.ev.Action, p.ev.Object, err)
	}
	after, err := platform.AuditJSON(p.ev.After)
	if err != nil {
		return platform.AuditRecord{}, fmt.Errorf("%s %s: %w", p.ev.Action, p.ev.Object, err)
	}
	r := platform.AuditRecord{Seq: seq, At: p.at, Actor: bounded(p.actor, 200), Address: bounded(p.address, 200),
		Action: p.ev.Action, Object: p.ev.Object, Before: before, After: after, PrevHash: prev}
	r.Hash = platform.AuditHash(prev, r)
	return r, nil
}

// bounded cuts s to at most n bytes on a rune boundary: identity-derived
// fields are bounded before they reach the database.
func bounded(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

const auditColumns = `seq, at, actor, address, action, object, before_json, after_json, prev_hash, hash`

// scanAudit reads a row of auditColumns.
func scanAudit(row interface{ Scan(...any) error }) (platform.AuditRecord, error) {
	var r platform.AuditRecord
	var at int64
	var before, after string
	err := row.Scan(&r.Seq, &at, &r.Actor, &r.Address, &r.Action, &r.Object, &before, &after, &r.PrevHash, &r.Hash)
	r.At, r.Before, r.After = fromMicros(at), []byte(before), []byte(after)
	return r, err
}

// auditWhere builds the filter of f.
func auditWhere(f platform.AuditFilter) where {
	var w where
	if f.Object != "" {
		w.add(`(object = $? OR object LIKE $? ESCAPE '\')`, f.Object, likeEscape(f.Object+"/")+"%")
	}
	w.eq("actor", f.Actor)
	if !f.From.IsZero() {
		w.add(`at >= $?`, micros(f.From))
	}
	if !f.To.IsZero() {
		w.add(`at < $?`, micros(f.To))
	}
	return w
}

// ListAudit returns a page of audit rows matching f, oldest first, and the
// total.
func (s *Store) ListAudit(ctx context.Context, f platform.AuditFilter) ([]platform.AuditRecord, int, error) {
	return listPage(ctx, s, listQuery{table: "audit_log", columns: auditColumns, order: "seq", w: auditWhere(f),
		limit: f.Limit, offset: f.Offset}, scanAudit)
}

// EachAudit calls fn for every row matching f, oldest first, streaming (an
// export of the whole trail does not hold it in memory); fn's error stops
// the walk.
func (s *Store) EachAudit(ctx context.Context, f platform.AuditFilter, fn func(platform.AuditRecord) error) error {
	w := auditWhere(f)
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql()+` ORDER BY seq`, w.args...)
	if err != nil {
		return fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return fmt.Errorf("read audit trail: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditHead returns the recorded end of the chain: the last row's sequence
// number and hash (0 and "" when empty).
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.rdb.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read audit head: %w", err)
	}
	return seq, hash, nil
}
