package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// appendAudit appends tx's recorded changes to their chains (one chain
// per object, platform.AuditChainOf). The heads of the chains involved are
// read with FOR UPDATE on PostgreSQL, in chain order (no deadlock between
// two appenders), which serialises the appenders of a chain: two
// transactions never chain to the same predecessor, while changes of
// objects in other chains go on concurrently. On SQLite the single writer
// serialises them already. The locks are taken last, just before the
// commit, so they are held only for the inserts.
func (s *Store) appendAudit(ctx context.Context, tx *wtx) error {
	if len(tx.audit) == 0 {
		return nil
	}
	chains := make([]int, len(tx.audit))
	var involved []int
	for i, p := range tx.audit {
		chains[i] = platform.AuditChainOf(p.ev.Object)
		if !slices.Contains(involved, chains[i]) {
			involved = append(involved, chains[i])
		}
	}
	slices.Sort(involved)
	if s.dialect == dialectSQLite {
		return s.appendAuditSQLite(ctx, tx, chains, involved)
	}
	heads, err := s.lockHeads(ctx, tx, involved)
	if err != nil {
		return err
	}
	rows := make([]platform.AuditRecord, len(tx.audit))
	for i, p := range tx.audit {
		h := heads[chains[i]]
		r, err := auditRecord(p, chains[i], h.Seq+1, h.Hash)
		if err != nil {
			return err
		}
		rows[i], heads[chains[i]] = r, platform.AuditHead{Chain: r.Chain, Seq: r.ChainSeq, Hash: r.Hash}
	}
	if err := s.insertAudit(ctx, tx, rows); err != nil {
		return err
	}
	tx.audit = nil
	for _, c := range involved {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE chain = $3`, heads[c].Seq, heads[c].Hash, c); err != nil {
			return fmt.Errorf("update audit head %d: %w", c, err)
		}
	}
	return nil
}

// lockHeads reads and locks the heads of the chains (PostgreSQL), in
// ascending order; an empty chain's hash is the genesis hash.
func (s *Store) lockHeads(ctx context.Context, tx *wtx, chains []int) (map[int]platform.AuditHead, error) {
	var w where
	in := make([]string, len(chains))
	for i, c := range chains {
		w.args = append(w.args, c)
		in[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := tx.QueryContext(ctx, `SELECT chain, seq, hash FROM audit_head WHERE chain IN (`+strings.Join(in, ", ")+`) ORDER BY chain FOR UPDATE`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read audit heads: %w", err)
	}
	defer rows.Close()
	heads := make(map[int]platform.AuditHead, len(chains))
	for rows.Next() {
		var h platform.AuditHead
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("read audit heads: %w", err)
		}
		if h.Seq == 0 {
			h.Hash = platform.GenesisHash
		}
		heads[h.Chain] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit heads: %w", err)
	}
	if len(heads) != len(chains) {
		return nil, fmt.Errorf("audit heads: %d of %d chains found (migration incomplete?)", len(heads), len(chains))
	}
	return heads, nil
}

// auditColumnList are the written columns of an audit row, in auditArgs
// order (id is assigned by the database).
var auditColumnList = []string{"chain", "chain_seq", "at", "actor", "address", "action", "object", "before_json", "after_json", "prev_hash", "hash"}

// auditArgs appends the column values of r to args.
func auditArgs(r platform.AuditRecord, args []any) []any {
	return append(args, r.Chain, r.ChainSeq, micros(r.At), r.Actor, r.Address, r.Action, r.Object, string(r.Before), string(r.After), r.PrevHash, r.Hash)
}

// insertAudit writes the rows: one INSERT for one row, the bulk path
// (multi-row INSERT on SQLite, COPY on PostgreSQL) for a group commit's
// many.
func (s *Store) insertAudit(ctx context.Context, tx *wtx, rows []platform.AuditRecord) error {
	if len(rows) == 1 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+strings.Join(auditColumnList, ", ")+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, auditArgs(rows[0], nil)...); err != nil {
			return fmt.Errorf("append audit row: %w", err)
		}
		return nil
	}
	return s.bulkInsert(ctx, tx, "audit_log", auditColumnList, len(rows), func(i int, args []any) []any { return auditArgs(rows[i], args) })
}

// auditRecord builds and hashes the row at position seq of chain.
func auditRecord(p pendingAudit, chain int, seq int64, prev string) (platform.AuditRecord, error) {
	before, err := platform.AuditJSON(p.ev.Before)
	if err != nil {
		return platform.AuditRecord{}, fmt.Errorf("%s %s: %w", p.ev.Action, p.ev.Object, err)
	}
	after, err := platform.AuditJSON(p.ev.After)
	if err != nil {
		return platform.AuditRecord{}, fmt.Errorf("%s %s: %w", p.ev.Action, p.ev.Object, err)
	}
	r := platform.AuditRecord{Chain: chain, ChainSeq: seq, At: p.at, Actor: bounded(p.actor, 200), Address: bounded(p.address, 200),
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

const auditColumns = `id, chain, chain_seq, at, actor, address, action, object, before_json, after_json, prev_hash, hash`

// scanAudit reads a row of auditColumns.
func scanAudit(row interface{ Scan(...any) error }) (platform.AuditRecord, error) {
	var r platform.AuditRecord
	var at int64
	var before, after string
	err := row.Scan(&r.ID, &r.Chain, &r.ChainSeq, &at, &r.Actor, &r.Address, &r.Action, &r.Object, &before, &after, &r.PrevHash, &r.Hash)
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
	w.eq("action", f.Action)
	if !f.From.IsZero() {
		w.add(`at >= $?`, micros(f.From))
	}
	if !f.To.IsZero() {
		w.add(`at < $?`, micros(f.To))
	}
	return w
}

// ListAudit returns a page of audit rows matching f, oldest first, and the
// total, once the queued rows are chained (as EachAudit and AuditSnapshot).
// "Oldest first" is by the time of the change, then id: on PostgreSQL an
// entry save's row is chained (and numbered) after the queue is drained,
// possibly after later changes written with their rows inline, so id alone
// would list a save after the submission that followed it.
func (s *Store) ListAudit(ctx context.Context, f platform.AuditFilter) ([]platform.AuditRecord, int, error) {
	if err := s.chainQueued(ctx); err != nil {
		return nil, 0, err
	}
	return listPage(ctx, s, listQuery{table: "audit_log", columns: auditColumns, order: "at, id", w: auditWhere(f),
		limit: f.Limit, offset: f.Offset}, scanAudit)
}

// EachAudit calls fn for every row matching f, oldest first, streaming (an
// export of the whole trail does not hold it in memory); fn's error stops
// the walk.
func (s *Store) EachAudit(ctx context.Context, f platform.AuditFilter, fn func(platform.AuditRecord) error) error {
	if err := s.chainQueued(ctx); err != nil {
		return err
	}
	w := auditWhere(f)
	return s.eachAudit(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql()+` ORDER BY at, id`, w.args, fn)
}

func (s *Store) eachAudit(ctx context.Context, query string, args []any, fn func(platform.AuditRecord) error) error {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
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

// AuditSnapshot chains the queued rows, then reads every chain's head and
// every row in (chain, position) order in one read-only transaction
// (REPEATABLE READ on PostgreSQL; a WAL read transaction on SQLite is a
// snapshot too), so that verification never mistakes a row appended
// between two separate reads for one lying beyond its head.
func (s *Store) AuditSnapshot(ctx context.Context, fn func(platform.AuditRecord) error) ([]platform.AuditHead, error) {
	if err := s.chainQueued(ctx); err != nil {
		return nil, err
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == dialectPostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.rdb.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	defer tx.Rollback()
	heads, err := auditHeads(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY chain, chain_seq`)
	if err != nil {
		return nil, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("read audit trail: %w", err)
		}
		if err := fn(r); err != nil {
			return heads, err
		}
	}
	return heads, rows.Err()
}

// auditHeads reads every chain's recorded end (position 0 and "" for an
// empty chain), by chain.
func auditHeads(ctx context.Context, tx *sql.Tx) ([]platform.AuditHead, error) {
	rows, err := tx.QueryContext(ctx, `SELECT chain, seq, hash FROM audit_head ORDER BY chain`)
	if err != nil {
		return nil, fmt.Errorf("read audit heads: %w", err)
	}
	defer rows.Close()
	var out []platform.AuditHead
	for rows.Next() {
		var h platform.AuditHead
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("read audit heads: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
