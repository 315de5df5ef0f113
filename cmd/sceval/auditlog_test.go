package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
)

// auditDB makes a SQLite database with a few audited changes: a cycle
// (created, opened) and three pilots.
func auditDB(t *testing.T) string {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
	db := filepath.Join(t.TempDir(), "audit.db")
	store, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2014 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "mohurd-2012"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"130102", "130104", "130105"} {
		if _, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: code, Name: "区" + code, Batch: "2013", Type: platform.PilotDistrict}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestAuditLogCommands(t *testing.T) {
	db := auditDB(t)
	out, err := runCLI(t, "audit-log", "verify", "--db", db)
	if err != nil || !strings.HasPrefix(out, "audit trail intact: 5 rows in 16 chains, head digest ") {
		t.Fatalf("verify: %q %v", out, err)
	}
	out, err = runCLI(t, "audit-log", "list", "--db", db, "--object", "cycle/1")
	if err != nil || !strings.Contains(out, "cycle.transition.open") || !strings.Contains(out, "审核员") || !strings.Contains(out, "rows 1–2 of 2") {
		t.Fatalf("list: %q %v", out, err)
	}
	out, err = runCLI(t, "audit-log", "list", "--db", db, "--user", "nobody")
	if err != nil || out != "no audit rows match\n" {
		t.Fatalf("list nobody: %q %v", out, err)
	}
	out, err = runCLI(t, "audit-log", "export", "--db", db, "--format", "csv", "--object", "pilot")
	if err != nil || strings.Count(out, "\n") != 4 || !strings.HasPrefix(out, "id,chain,chain_seq,at,actor,address,action,object,before,after,prev_hash,hash\n") {
		t.Fatalf("export: %q %v", out, err)
	}
	if _, err := runCLI(t, "audit-log", "list", "--db", db, "--from", "yesterday"); err == nil || !strings.Contains(err.Error(), "--from") {
		t.Fatalf("bad --from: %v", err)
	}

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var chain, pos int
	if err := raw.QueryRow(`SELECT chain, chain_seq FROM audit_log WHERE id = 3`).Scan(&chain, &pos); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET actor = '别人' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	_, err = runCLI(t, "audit-log", "verify", "--db", db)
	var exit exitError
	if want := fmt.Sprintf("audit trail broken: row %d of chain %d (ID 3) was altered", pos, chain); !errors.As(err, &exit) || exit.code != 1 || !strings.HasPrefix(exit.msg, want) {
		t.Fatalf("verify after an edit: %v, want %q", err, want)
	}
	if _, err := raw.Exec(`DELETE FROM audit_log WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	_, err = runCLI(t, "audit-log", "verify", "--db", db)
	if want := fmt.Sprintf("audit trail broken: row %d of chain %d is missing", pos, chain); !errors.As(err, &exit) || !strings.HasPrefix(exit.msg, want) {
		t.Fatalf("verify after a deletion: %v, want %q", err, want)
	}
}
