package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// ImportPilots stages in batches and moves all rows or none; the staged
// rows are gone afterwards either way.
func TestImportPilotsCleansUp(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
		pilots := func(n int, batch string) []platform.Pilot {
			ps := make([]platform.Pilot, n)
			for i := range ps {
				ps[i] = platform.Pilot{RegionCode: fmt.Sprintf("11%07d", i), Name: "镇", ProvinceCode: "11", Batch: batch,
					Type: platform.PilotTown, Status: platform.PilotActive, Version: 1, CreatedAt: t0, UpdatedAt: t0}
			}
			return ps
		}
		// A row a crashed import left long ago is removed by the next one.
		if err := s.ExecForTest(ctx, `INSERT INTO pilot_import_rows (import_id, seq, region_code, name, province_code, batch,
			type, status, version, created_at, updated_at) VALUES ('crashed', 0, '110101', 'x', '11', 'b', 'district', 'active', 1, 0, 0)`); err != nil {
			t.Fatal(err)
		}
		if err := s.ImportPilots(ctx, pilots(4100, "2013")); err != nil {
			t.Fatal(err)
		}
		// The second file overlaps the first in its last batch.
		more := append(pilots(4100, "2014"), pilots(1, "2013")...)
		err := s.ImportPilots(ctx, more)
		wantKind(t, err, platform.Conflict, platform.CodeDuplicate)
		_, total, err := s.ListPilots(ctx, platform.PilotFilter{Limit: 1})
		if err != nil || total != 4100 {
			t.Fatalf("%d pilots, %v; want the 4100 of the first import only", total, err)
		}
		if n, err := s.StagedPilotsForTest(ctx); err != nil || n != 0 {
			t.Fatalf("%d staged rows left, %v", n, err)
		}
		got, _, _ := s.ListPilots(ctx, platform.PilotFilter{Limit: 1, Sort: "region_code"})
		if got[0].RegionCode != "110000000" || got[0].Version != 1 || !got[0].CreatedAt.Equal(t0) || got[0].ID == 0 {
			t.Fatalf("imported pilot: %+v", got[0])
		}
	})
}
