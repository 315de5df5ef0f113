package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/sceval/sceval/platform"
)

// auditStmtCache holds the SQLite audit statements, prepared on first use
// (the tables exist only once Migrate has run): parsing them for every
// group commit cost more than the rest of the append.
type auditStmtCache struct {
	mu    sync.Mutex
	stmts *auditStmts
}

// auditStmts are the statements of one SQLite append.
type auditStmts struct {
	head, insert, update *sql.Stmt
}

// prepare prepares the statements on db (once the tables exist: Migrate
// calls it). It must not run inside a write transaction on SQLite, whose
// one writer connection the transaction holds.
func (c *auditStmtCache) prepare(ctx context.Context, db *sql.DB) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts != nil {
		return nil
	}
	st := &auditStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.head, auditHeadSQL},
		{&st.insert, auditInsertSQL},
		{&st.update, auditUpdateSQL},
	} {
		stmt, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			st.close()
			return fmt.Errorf("prepare audit statements: %w", err)
		}
		*p.dst = stmt
	}
	c.stmts = st
	return nil
}

// The statements of a SQLite append.
var (
	auditHeadSQL   = `SELECT seq, hash FROM audit_head WHERE chain = $1`
	auditInsertSQL = `INSERT INTO audit_log (` + strings.Join(auditColumnList, ", ") + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	auditUpdateSQL = `UPDATE audit_head SET seq = $1, hash = $2 WHERE chain = $3`
)

// get returns the statements bound to tx: the prepared ones, or (before
// Migrate prepared them) ones prepared on the transaction.
func (c *auditStmtCache) get(ctx context.Context, tx *wtx) (*auditStmts, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts != nil {
		return &auditStmts{head: tx.StmtContext(ctx, c.stmts.head), insert: tx.StmtContext(ctx, c.stmts.insert),
			update: tx.StmtContext(ctx, c.stmts.update)}, nil
	}
	st := &auditStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{{&st.head, auditHeadSQL}, {&st.insert, auditInsertSQL}, {&st.update, auditUpdateSQL}} {
		stmt, err := tx.PrepareContext(ctx, p.query)
		if err != nil {
			return nil, fmt.Errorf("prepare audit statements: %w", err)
		}
		*p.dst = stmt
	}
	return st, nil
}

// close closes the prepared statements.
func (c *auditStmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts != nil {
		c.stmts.close()
		c.stmts = nil
	}
}

func (st *auditStmts) close() {
	for _, s := range []*sql.Stmt{st.head, st.insert, st.update} {
		if s != nil {
			s.Close()
		}
	}
}

// appendAuditSQLite is appendAudit on SQLite's single writer: the heads
// need no lock, and every statement is prepared once.
func (s *Store) appendAuditSQLite(ctx context.Context, tx *wtx, chains []int, involved []int) error {
	st, err := s.auditStmts.get(ctx, tx)
	if err != nil {
		return err
	}
	heads := make(map[int]platform.AuditHead, len(involved))
	for _, c := range involved {
		h := platform.AuditHead{Chain: c}
		if err := st.head.QueryRowContext(ctx, c).Scan(&h.Seq, &h.Hash); err != nil {
			return fmt.Errorf("read audit head %d: %w", c, err)
		}
		if h.Seq == 0 {
			h.Hash = platform.GenesisHash
		}
		heads[c] = h
	}
	for i, p := range tx.audit {
		h := heads[chains[i]]
		r, err := auditRecord(p, chains[i], h.Seq+1, h.Hash)
		if err != nil {
			return err
		}
		if _, err := st.insert.ExecContext(ctx, auditArgs(r, nil)...); err != nil {
			return fmt.Errorf("append audit row: %w", err)
		}
		heads[chains[i]] = platform.AuditHead{Chain: r.Chain, Seq: r.ChainSeq, Hash: r.Hash}
	}
	tx.audit = nil
	for _, c := range involved {
		if _, err := st.update.ExecContext(ctx, heads[c].Seq, heads[c].Hash, c); err != nil {
			return fmt.Errorf("update audit head %d: %w", c, err)
		}
	}
	return nil
}
