package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `sceval report cycle` writes the national and a province's report as a
// self-contained HTML file, and refuses bad flags with the flag's name.
func TestReportCycleCommand(t *testing.T) {
	dir := t.TempDir()
	db, _ := writeDemoDB(t)
	out := filepath.Join(dir, "summary.html")
	if msg, err := runCLI(t, "report", "cycle", "--db", db, "--cycle", "1", "--format", "html", "--out", out); err != nil ||
		!strings.Contains(msg, "wrote "+out) {
		t.Fatalf("report: %q %v", msg, err)
	}
	html, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"评价结果汇总报告", "全国", `id="sceval-map-geojson"`, "专家评审一致性", "不确定性分析"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	en := filepath.Join(dir, "hebei.html")
	if _, err := runCLI(t, "report", "cycle", "--db", db, "--cycle", "1", "--province", "130000", "--lang", "en", "--out", en); err != nil {
		t.Fatalf("province report: %v", err)
	}
	if b, _ := os.ReadFile(en); !strings.Contains(string(b), "河北省 (13)") || !strings.Contains(string(b), "summary report of the results") {
		t.Errorf("the Hebei report in English lacks its scope or title")
	}
	for args, want := range map[string]string{
		"--cycle 1 --format docx --out x": "--format",
		"--cycle 0 --out x":               "--cycle",
		"--cycle 1":                       "--out",
		"--cycle 1 --province 99 --out x": "province",
		"--cycle 42 --out x":              "42",
	} {
		_, err := runCLI(t, append([]string{"report", "cycle", "--db", db}, strings.Fields(args)...)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", args, err, want)
		}
	}
}
