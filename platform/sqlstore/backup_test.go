package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

func TestBackupSQLite(t *testing.T) {
	ctx := context.Background()
	s := sqlstoretest.SQLite(t)
	p, err := s.CreatePilot(ctx, newPilot("110105", "2013"))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	copy, err := sqlstore.Open(ctx, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if err := copy.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := copy.GetPilot(ctx, p.ID)
	if err != nil || got.RegionCode != "110105" {
		t.Fatalf("pilot in backup: %+v, %v", got, err)
	}
}
