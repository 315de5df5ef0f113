package sqlstore

import (
	"context"
	"fmt"
)

// EvidenceSums returns the SHA-256 of every blob an evidence row names
// (deleted evidence no longer names its blob: its hash moves to
// deleted_sha256 and the blob may go), for `sceval gc`: a
// stored blob outside this set is an orphan. It reads one column of one
// index, so even a national cycle's hundreds of thousands of files fit in
// memory as a set of 64-byte strings.
func (s *Store) EvidenceSums(ctx context.Context) (map[string]bool, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT DISTINCT sha256 FROM evidence WHERE sha256 <> ''`)
	if err != nil {
		return nil, fmt.Errorf("list evidence blobs: %w", err)
	}
	defer rows.Close()
	sums := map[string]bool{}
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return nil, fmt.Errorf("list evidence blobs: %w", err)
		}
		sums[sum] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list evidence blobs: %w", err)
	}
	return sums, nil
}
