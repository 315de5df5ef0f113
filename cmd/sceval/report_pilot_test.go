package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sceval report pilot writes the demo pilot's scorecard as HTML with the
// same total the command prints; --public refuses the unpublished demo
// cycle (the open 2017 one); a bad format is refused before anything is opened.
func TestReportPilotCommand(t *testing.T) {
	dir := t.TempDir()
	db, data := writeDemoDB(t)
	out := filepath.Join(dir, "sc.html")
	stdout, err := runCLI(t, "report", "pilot", "--pilot", "3", "--cycle", "1", "--db", db, "--data-dir", data, "--out", out)
	if err != nil || !strings.HasPrefix(stdout, "wrote "+out+" (html, ") {
		t.Fatalf("report: %q %v", stdout, err)
	}
	total := stdout[strings.LastIndex(stdout, "total ")+len("total ") : len(stdout)-1]
	html, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(html), `id="total">`+total+`<`) || !strings.Contains(string(html), "石家庄市") {
		t.Fatalf("the report lacks the total %s: %v", total, err)
	}
	// Cycle 4 is the demo's open (unpublished) 2017 cycle.
	if _, err := runCLI(t, "report", "pilot", "--pilot", "3", "--cycle", "4", "--db", db, "--data-dir", data, "--out", out,
		"--public"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("--public on an unpublished cycle: %v", err)
	}
	if _, err := runCLI(t, "report", "pilot", "--pilot", "3", "--cycle", "1", "--out", "x.doc", "--format", "doc"); err == nil ||
		!strings.Contains(err.Error(), "want html or pdf") {
		t.Errorf("--format doc: %v", err)
	}
}
