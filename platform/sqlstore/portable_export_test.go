package sqlstore

import "context"

// CountRowsForTest counts a table's rows with COUNT(*).
func (s *Store) CountRowsForTest(ctx context.Context, table string) (int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(table)).Scan(&n)
	return n, err
}
