package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sceval framework publish reports every error with its line and stores
// nothing; a valid file is stored once; other content under the same
// version is refused.
func TestFrameworkPublishCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	bad := filepath.Join(dir, "bad.yaml")
	good := filepath.Join(dir, "js.yaml")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(bad, "id: x\nversion: \"1\"\nname: 坏\nindicators:\n  - code: A\n    name: 甲\n    kind: survey\n    weight: -1\n")
	out, err := runCLI(t, "framework", "publish", bad, "--db", db)
	var exit exitError
	if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "bad.yaml:7:11: indicator A: kind:") ||
		!strings.Contains(out, "bad.yaml:8:13: indicator A: weight:") || !strings.HasSuffix(out, "2 errors: nothing published\n") {
		t.Fatalf("invalid file: %q %v", out, err)
	}
	js := "id: js-2025\nversion: \"1\"\nname: 江苏\nindicators:\n  - {code: N, name: 网络, kind: quantitative, unit: \"%\", goalposts: {low: 0, high: 100}}\n"
	write(good, js)
	for range 2 {
		if out, err = runCLI(t, "framework", "publish", good, "--db", db); err != nil || !strings.HasPrefix(out, "published js-2025@1 (1 leaves") {
			t.Fatalf("publish: %q %v", out, err)
		}
	}
	write(good, strings.Replace(js, "high: 100", "high: 90", 1))
	if _, err = runCLI(t, "framework", "publish", good, "--db", db); err == nil || !strings.Contains(err.Error(), "a version never changes") {
		t.Fatalf("changed file under the same version: %v", err)
	}
}
