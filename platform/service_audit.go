package platform

import (
	"context"
	"errors"
	"fmt"
)

// AuditStore reads the audit trail that every Store write appends to.
type AuditStore interface {
	// ListAudit returns a page of rows matching f, oldest first, and the
	// total.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error)
	// EachAudit calls fn for every row matching f, oldest first, stopping
	// at fn's first error.
	EachAudit(ctx context.Context, f AuditFilter, fn func(AuditRecord) error) error
	// AuditSnapshot returns every chain's recorded end, by chain, and calls
	// fn for every row in (chain, position) order, both read from one
	// snapshot of the database, so that rows appended by concurrent writes
	// are either seen with their head or not at all.
	AuditSnapshot(ctx context.Context, fn func(AuditRecord) error) ([]AuditHead, error)
}

// ListAudit returns a page of the audit trail filtered by object (and what
// lies under it), actor and time, oldest first, and the total.
func (s *Service) ListAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error) {
	if err := authorize(ctx, "audit.read", "audit"); err != nil {
		return nil, 0, err
	}
	if err := checkAuditFilter(&f); err != nil {
		return nil, 0, err
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	return s.store.ListAudit(ctx, f)
}

// ExportAudit streams every row matching f to fn, oldest first.
func (s *Service) ExportAudit(ctx context.Context, f AuditFilter, fn func(AuditRecord) error) error {
	if err := authorize(ctx, "audit.export", "audit"); err != nil {
		return err
	}
	if err := checkAuditFilter(&f); err != nil {
		return err
	}
	return s.store.EachAudit(ctx, f, fn)
}

// VerifyAudit walks every chain and reports the first broken row: a row
// whose content no longer matches its hash (edited), a row that does not
// chain to its predecessor, a missing position (deleted), or a chain whose
// last row does not match its recorded head (the newest rows deleted).
func (s *Service) VerifyAudit(ctx context.Context) (AuditVerification, error) {
	if err := authorize(ctx, "audit.verify", "audit"); err != nil {
		return AuditVerification{}, err
	}
	return VerifyAuditChain(ctx, s.store)
}

// errChainBroken stops the walk at the first broken row.
var errChainBroken = errors.New("audit chain broken")

// VerifyAuditChain checks the chain of st (for the CLI, which opens the
// store without a Service).
func VerifyAuditChain(ctx context.Context, st AuditStore) (AuditVerification, error) {
	var c AuditChecker
	heads, err := st.AuditSnapshot(ctx, func(r AuditRecord) error {
		if !c.Check(r) {
			return errChainBroken
		}
		return nil
	})
	if err != nil && !errors.Is(err, errChainBroken) {
		return AuditVerification{}, fmt.Errorf("verify audit trail: %w", err)
	}
	return c.Finish(heads), nil
}

// checkAuditFilter normalises the object and checks the time range.
func checkAuditFilter(f *AuditFilter) error {
	f.Object = auditObjectPrefix(f.Object)
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return invalidField("to", CodeBadValue, "audit time range: %s is not before %s", f.From.Format("2006-01-02T15:04:05Z07:00"), f.To.Format("2006-01-02T15:04:05Z07:00"))
	}
	return nil
}
