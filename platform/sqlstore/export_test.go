package sqlstore

import "context"

// ExecForTest runs a statement on the writer connection.
func (s *Store) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := s.wdb.ExecContext(ctx, query, args...)
	return err
}
