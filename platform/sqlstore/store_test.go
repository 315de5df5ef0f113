package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

var t0 = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

func newPilot(region, batch string) platform.Pilot {
	return platform.Pilot{RegionCode: region, Name: "试点" + region, ProvinceCode: region[:2], Batch: batch,
		Type: platform.PilotCity, Status: platform.PilotActive, Version: 1, CreatedAt: t0, UpdatedAt: t0}
}

func wantKind(t *testing.T, err error, kind platform.ErrorKind, code string) {
	t.Helper()
	if platform.ErrorKindOf(err) != kind || (code != "" && platform.ErrorCodeOf(err) != code) {
		t.Fatalf("err = %v (kind %q, code %q), want kind %q code %q", err, platform.ErrorKindOf(err), platform.ErrorCodeOf(err), kind, code)
	}
}

func TestMigrateIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != sqlstore.KnownSchemaVersion() || v < 5 {
		t.Fatalf("schema version = %d, %v; want %d (at least 5: accounts)", v, err, sqlstore.KnownSchemaVersion())
	}
	raw, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.ExecForTest(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	err = s.Migrate(ctx)
	wantKind(t, err, platform.Conflict, platform.CodeSchemaTooNew)
	if want := fmt.Sprintf("database schema version 99 is newer than this sceval (knows up to %d): upgrade sceval", sqlstore.KnownSchemaVersion()); err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
}

func TestPilots(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, err := s.CreatePilot(ctx, newPilot("110105", "2013"))
		if err != nil || a.ID == 0 {
			t.Fatalf("create: %+v, %v", a, err)
		}
		_, err = s.CreatePilot(ctx, newPilot("110105", "2013"))
		wantKind(t, err, platform.Conflict, platform.CodeDuplicate)
		if err := s.CreatePilots(ctx, []platform.Pilot{newPilot("320500", "2013"), newPilot("440300", "2014"), newPilot("110105", "2013")}); err == nil {
			t.Fatal("bulk create with a duplicate succeeded")
		}
		if _, n, _ := s.ListPilots(ctx, platform.PilotFilter{Limit: 10}); n != 1 {
			t.Fatalf("after failed bulk create: %d pilots, want 1 (all or nothing)", n)
		}
		if err := s.CreatePilots(ctx, []platform.Pilot{newPilot("320500", "2013"), newPilot("440300", "2014")}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetPilot(ctx, a.ID)
		if err != nil || got.Name != "试点110105" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("get: %+v, %v", got, err)
		}
		a.Name = "北京市朝阳区"
		b, err := s.UpdatePilot(ctx, a)
		if err != nil || b.Version != 2 || b.Name != "北京市朝阳区" {
			t.Fatalf("update: %+v, %v", b, err)
		}
		_, err = s.UpdatePilot(ctx, a) // still version 1
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		if cur := err.(*platform.Error).Current.(platform.Pilot); cur.Version != 2 {
			t.Fatalf("current = %+v", cur)
		}
		_, err = s.GetPilot(ctx, 999)
		wantKind(t, err, platform.NotFound, "")

		list, n, err := s.ListPilots(ctx, platform.PilotFilter{Batch: "2013", Sort: "-region_code", Limit: 10})
		if err != nil || n != 2 || len(list) != 2 || list[0].RegionCode != "320500" {
			t.Fatalf("list batch 2013: %d %+v %v", n, list, err)
		}
		list, n, _ = s.ListPilots(ctx, platform.PilotFilter{Q: "朝阳", Limit: 10})
		if n != 1 || list[0].ID != a.ID {
			t.Fatalf("q=朝阳: %d %+v", n, list)
		}
		list, n, _ = s.ListPilots(ctx, platform.PilotFilter{Q: "44", Limit: 10})
		if n != 1 || list[0].RegionCode != "440300" {
			t.Fatalf("q=44: %d %+v", n, list)
		}
		list, n, _ = s.ListPilots(ctx, platform.PilotFilter{Q: "%", Limit: 10})
		if n != 0 {
			t.Fatalf("q=%%: %d %+v (wildcard not escaped)", n, list)
		}
		list, n, _ = s.ListPilots(ctx, platform.PilotFilter{Limit: 1, Offset: 1})
		if n != 3 || len(list) != 1 || list[0].RegionCode != "320500" {
			t.Fatalf("page: %d %+v", n, list)
		}
	})
}

func TestCycles(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		due := t0.Add(90 * 24 * time.Hour)
		c, err := s.CreateCycle(ctx, platform.Cycle{Name: "2014 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2014,
			FrameworkID: "mohurd-2012", FrameworkVersion: "v", Scheme: json.RawMessage(`{"a":1}`), DueAt: &due,
			State: platform.CycleDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetCycle(ctx, c.ID)
		if err != nil || got.DueAt == nil || !got.DueAt.Equal(due) || got.OpensAt != nil || string(got.Scheme) != `{"a":1}` {
			t.Fatalf("get: %+v, %v", got, err)
		}
		got.State = platform.CycleOpen
		up, err := s.UpdateCycle(ctx, got)
		if err != nil || up.Version != 2 || up.State != platform.CycleOpen {
			t.Fatalf("update: %+v, %v", up, err)
		}
		_, err = s.UpdateCycle(ctx, got)
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		list, n, err := s.ListCycles(ctx, platform.CycleFilter{State: "open", Limit: 5})
		if err != nil || n != 1 || list[0].ID != c.ID {
			t.Fatalf("list: %d %+v %v", n, list, err)
		}
	})
}
