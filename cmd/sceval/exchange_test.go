package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The exchange commands on the demo: a template that imports back
// unchanged, an import error with its cell and exit status 1, and the
// exports.
func TestExchangeCommands(t *testing.T) {
	dir := t.TempDir()
	db, _ := writeDemoDB(t)
	// Cycle 4 is the demo's open 2017 cycle (entries may be imported);
	// cycle 1, 2014, is published (its results may be exported).
	tpl := filepath.Join(dir, "t.xlsx")
	if out, err := runCLI(t, "export", "template", "--cycle", "4", "--out", tpl, "--db", db); err != nil {
		t.Fatalf("export template: %q %v", out, err)
	}
	out, err := runCLI(t, "import", "entries", tpl, "--cycle", "4", "--dry-run", "--db", db)
	if err != nil || !strings.Contains(out, " 0 changes,") || !strings.Contains(out, "0 invalid") {
		t.Fatalf("re-import of the template: %q %v", out, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	// Pilot 3, 石家庄市, holds the open cycle's draft.
	os.WriteFile(bad, []byte("试点ID,指标代码,数值,等级,填报说明\n3,1.1.1,abc,,\n"), 0o600)
	out, err = runCLI(t, "import", "entries", bad, "--cycle", "4", "--db", db)
	var exit exitError
	if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "bad.csv!C2: ") || !strings.Contains(out, "nothing was written") {
		t.Fatalf("bad import: %q %v", out, err)
	}
	for _, args := range [][]string{
		{"export", "results", "--cycle", "1", "--out", filepath.Join(dir, "r.csv")},
		{"export", "results", "--cycle", "1", "--out", filepath.Join(dir, "r.xlsx")},
		{"export", "framework", "mohurd-2012", "--out", filepath.Join(dir, "f.md")},
		{"export", "framework", "mohurd-2012", "--out", filepath.Join(dir, "f.xlsx")},
		{"export", "submission", "1", "--out", filepath.Join(dir, "s.xlsx")},
	} {
		if out, err := runCLI(t, append(args, "--db", db)...); err != nil {
			t.Fatalf("%v: %q %v", args, out, err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	if !bytes.HasPrefix(csv, []byte("\ufeff排名 rank,")) || bytes.Count(csv, []byte("\n")) < 30 {
		t.Fatalf("results CSV starts %q", csv[:min(80, len(csv))])
	}
	md, _ := os.ReadFile(filepath.Join(dir, "f.md"))
	if !strings.Contains(string(md), "智能建筑") && !strings.Contains(string(md), "1.1.1") {
		t.Fatalf("framework markdown: %.200s", md)
	}
}
