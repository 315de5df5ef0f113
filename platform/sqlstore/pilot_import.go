package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/sceval/sceval/platform"
)

// importBatch is the number of pilots staged per write transaction: a few
// milliseconds of the SQLite writer, so that entry saves queued behind an
// import wait for one batch, not for the whole file.
const importBatch = 2000

// stagedColumns are the columns of pilot_import_rows after import_id, seq.
var stagedColumns = []string{"region_code", "name", "province_code", "batch", "type", "status", "version", "created_at", "updated_at"}

// ImportPilots inserts every pilot, or none, without holding the writer for
// the whole file: the pilots are staged in pilot_import_rows in batches of
// importBatch, each its own short transaction, then moved into pilots by one
// INSERT … SELECT, which is all or nothing (a region already in its batch
// fails it with conflict "duplicate"). The staged rows are removed in every
// case (and rows a crashed import left a day earlier are removed first).
// IDs are not returned.
func (s *Store) ImportPilots(ctx context.Context, ps []platform.Pilot) error {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("import id: %w", err)
	}
	id := hex.EncodeToString(b[:])
	defer s.dropStaged(ctx, id)
	if len(ps) > 0 {
		// Rows an import left when its process died: staged a day before
		// this import's pilots were stamped.
		stale := micros(ps[0].CreatedAt.Add(-24 * time.Hour))
		if err := s.write(ctx, func(tx *wtx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM pilot_import_rows WHERE created_at < $1`, stale)
			return err
		}); err != nil {
			return fmt.Errorf("remove stale staged pilots: %w", err)
		}
	}
	cols := append([]string{"import_id", "seq"}, stagedColumns...)
	for start := 0; start < len(ps); start += importBatch {
		chunk := ps[start:min(len(ps), start+importBatch)]
		err := s.write(ctx, func(tx *wtx) error {
			return s.bulkInsert(ctx, tx, "pilot_import_rows", cols, len(chunk), func(i int, args []any) []any {
				p := chunk[i]
				return append(args, id, start+i, p.RegionCode, p.Name, p.ProvinceCode, p.Batch, string(p.Type), string(p.Status),
					p.Version, micros(p.CreatedAt), micros(p.UpdatedAt))
			})
		})
		if err != nil {
			return fmt.Errorf("stage pilots %d–%d: %w", start+1, start+len(chunk), err)
		}
	}
	list := "region_code, name, province_code, batch, type, status, version, created_at, updated_at"
	return s.write(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pilots (`+list+`) SELECT `+list+`
			FROM pilot_import_rows WHERE import_id = $1 ORDER BY seq`, id)
		if isUnique(err) {
			return platform.Errorf(platform.Conflict, platform.CodeDuplicate,
				"a region of the file became a pilot of its batch while the file was being imported: import it again to see which")
		}
		if err != nil {
			return fmt.Errorf("insert imported pilots: %w", err)
		}
		return nil
	})
}

// dropStaged removes an import's staged rows, even when ctx was canceled.
func (s *Store) dropStaged(ctx context.Context, id string) {
	ctx = context.WithoutCancel(ctx)
	err := s.write(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM pilot_import_rows WHERE import_id = $1`, id)
		return err
	})
	if err != nil {
		s.logger.Warn("staged pilot import rows not removed", "import", id, "err", err)
	}
}
