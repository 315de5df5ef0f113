package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
)

// runFrameworkCLI runs the root command with args as run does, capturing
// standard output and error, and returns the exit code run would return.
func runFrameworkCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			if exit.msg != "" {
				errOut.WriteString("sceval: " + exit.msg + "\n")
			}
			return out.String(), errOut.String(), exit.code
		}
		errOut.WriteString("sceval: " + err.Error() + "\n")
		return out.String(), errOut.String(), 1
	}
	return out.String(), errOut.String(), 0
}

const fwTestdata = "../../framework/testdata/"

func TestFrameworkValidateFiveMistakes(t *testing.T) {
	t.Parallel()
	stdout, _, code := runFrameworkCLI(t, "framework", "validate", fwTestdata+"five-mistakes.yaml")
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		lines = append(lines, strings.TrimPrefix(l, fwTestdata))
	}
	want := []string{
		`five-mistakes.yaml:12:9: indicator A.1: unknown field "wieght" (did you mean "weight"?)`,
		`five-mistakes.yaml:16:17: indicator A.2: weight: must be a positive finite number, got -0.5`,
		`five-mistakes.yaml:17:15: indicator A.1: code: duplicate code: used at lines 9 and 17`,
		`five-mistakes.yaml:23:9: indicator B.1: kind: missing: a leaf must be quantitative, rubric or expert`,
		`five-mistakes.yaml:29:11: indicator B.2: rubric: scores must strictly increase from worst to best level, but level 2 scores 20 after 80`,
		`five-mistakes.yaml: invalid (5 errors, 0 warnings)`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestFrameworkValidateExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"mohurd-2012"}, 0, "mohurd-2012: valid (0 errors, 0 warnings)"},
		{[]string{fwTestdata + "four-level.yaml"}, 0, "valid (0 errors, 2 warnings)"},
		{[]string{fwTestdata + "flat.yaml", fwTestdata + "four-level.json"}, 0, "four-level.json: valid"},
		{[]string{fwTestdata + "flat.yaml", "missing.yaml"}, 1, "missing.yaml: no such file or built-in framework"},
	}
	for _, tt := range tests {
		stdout, _, code := runFrameworkCLI(t, append([]string{"framework", "validate"}, tt.args...)...)
		if code != tt.code || !strings.Contains(stdout, tt.out) {
			t.Errorf("validate %v: exit %d, output:\n%s\nwant exit %d and %q", tt.args, code, stdout, tt.code, tt.out)
		}
	}
	// run itself maps the command's exitError to the process exit code.
	if code := run([]string{"framework", "validate", "--format", "json", fwTestdata + "five-mistakes.yaml"}); code != 1 {
		t.Errorf("run(validate five-mistakes) = %d, want 1", code)
	}
}

func TestFrameworkValidateJSON(t *testing.T) {
	t.Parallel()
	stdout, _, code := runFrameworkCLI(t, "framework", "validate", "--format", "json", fwTestdata+"five-mistakes.yaml")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got []frameworkValidation
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if len(got) != 1 || got[0].Valid || len(got[0].Diagnostics) != 5 || got[0].Diagnostics[0].Line != 12 ||
		got[0].Diagnostics[0].Severity != framework.Error || !strings.Contains(stdout, `"severity": "error"`) {
		t.Errorf("unexpected JSON:\n%s", stdout)
	}
}

func TestFrameworkLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"framework", "show", "no-such-id"}, `sceval: unknown framework "no-such-id": not a built-in id (mohurd-2012) and no such file`},
		{[]string{"framework", "show", "no-such-file.yaml"}, "sceval: open framework no-such-file.yaml: no such file or directory"},
		{[]string{"framework", "show", fwTestdata + "five-mistakes.yaml"}, "invalid framework: 5 errors:\n" + fwTestdata + "five-mistakes.yaml:12:9: indicator A.1"},
		{[]string{"framework", "show", "--format", "pdf"}, `sceval: unknown --format "pdf": want one of tree, table, md, csv, json, yaml`},
		{[]string{"framework", "show", "--lang", "fr"}, `sceval: unknown --lang "fr": want zh or en`},
		{[]string{"framework", "export", "mohurd-2012", "--format", "xml"}, `sceval: unknown --format "xml": want json or yaml`},
		{[]string{"framework", "diff", "mohurd-2012"}, "sceval: accepts 2 arg(s), received 1"},
	}
	for _, tt := range tests {
		stdout, stderr, code := runFrameworkCLI(t, tt.args...)
		if code != 1 || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

func TestFrameworkShowAndList(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runFrameworkCLI(t, "framework", "show")
	if code != 0 || stderr != "" {
		t.Fatalf("show: exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{"4 一级指标 · 11 二级指标 · 57 三级指标", "│   ├── 1.1 保障体系", "默认值，非官方"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show output lacks %q", want)
		}
	}
	// Warnings about a file go to standard error, the rendering to standard output.
	stdout, stderr, code = runFrameworkCLI(t, "framework", "show", fwTestdata+"four-level.yaml", "--format", "csv")
	if code != 0 || !strings.Contains(stderr, "warning: weight: weights of the top-level indicators sum to 1.1") ||
		!strings.HasPrefix(stdout, "code,parent,level,name_zh,name_en,") {
		t.Errorf("show four-level csv: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	stdout, _, code = runFrameworkCLI(t, "framework", "list", "--lang", "en")
	if code != 0 || !strings.Contains(stdout, "mohurd-2012") || !strings.Contains(stdout, "4 / 11 / 57") ||
		!strings.Contains(stdout, "National Smart City") {
		t.Errorf("list: exit %d, output:\n%s", code, stdout)
	}
}

// TestFrameworkExportRoundTrip exports the built-in framework to a file,
// validates and re-exports it, and diffs it against the original: no
// differences and byte-identical exports.
func TestFrameworkExportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"fw.json", "fw.yaml"} {
		path := filepath.Join(dir, name)
		if _, stderr, code := runFrameworkCLI(t, "framework", "export", "mohurd-2012", "--out", path); code != 0 {
			t.Fatalf("export: %s", stderr)
		}
		first, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == "fw.yaml" && !bytes.HasPrefix(first, []byte("id: mohurd-2012\n")) {
			t.Errorf("--out fw.yaml did not select YAML:\n%.200s", first)
		}
		second, _, code := runFrameworkCLI(t, "framework", "export", path, "--format", strings.TrimPrefix(filepath.Ext(name), "."))
		if code != 0 || second != string(first) {
			t.Errorf("%s: re-export differs (exit %d)", name, code)
		}
		stdout, stderr, code := runFrameworkCLI(t, "framework", "diff", "mohurd-2012", path)
		if code != 0 || stdout != "" || stderr != "no differences\n" {
			t.Errorf("diff with %s: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
	}
}

func TestFrameworkDiff(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "variant.yaml")
	src, err := os.ReadFile(fwTestdata + "flat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	variant := strings.Replace(string(src), "name: 网上办理率", "name: 全程网办率", 1)
	if err := os.WriteFile(path, []byte(variant), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runFrameworkCLI(t, "framework", "diff", fwTestdata+"flat.yaml", path)
	if code != 0 || stdout != "~ B.1.1 renamed: 网上办理率 → 全程网办率\n~ B.1.1 renamed (en): 网上办理率 → 全程网办率\n" {
		t.Errorf("diff: exit %d, output %q", code, stdout)
	}
	stdout, _, _ = runFrameworkCLI(t, "framework", "diff", "--format", "json", fwTestdata+"flat.yaml", path)
	var changes []framework.Change
	if err := json.Unmarshal([]byte(stdout), &changes); err != nil || len(changes) != 2 || changes[0].Kind != framework.Renamed {
		t.Errorf("diff json: %v\n%s", err, stdout)
	}
}

func TestFrameworkHelpHasExamples(t *testing.T) {
	t.Parallel()
	for _, sub := range []string{"list", "show", "validate", "export", "diff", "schema"} {
		stdout, _, code := runFrameworkCLI(t, "framework", sub, "--help")
		if code != 0 || !strings.Contains(stdout, "Examples:") {
			t.Errorf("framework %s --help: exit %d, no Examples section", sub, code)
		}
	}
}

func TestFrameworkSchema(t *testing.T) {
	t.Parallel()
	stdout, _, code := runFrameworkCLI(t, "framework", "schema")
	var schema map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &schema) != nil || schema["title"] != "sceval indicator framework" {
		t.Errorf("schema: exit %d, output %.200s", code, stdout)
	}
}

// TestFrameworkDiffOneReweight is issue 9's reproduction: exporting the
// built-in framework and re-weighting one indicator printed 75 "w" lines,
// some reading "0.3333 → 0.3333". The diff now shows the one declared
// change; --effective adds the derived shifts, none with equal values.
func TestFrameworkDiffOneReweight(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "variant.yaml")
	if _, stderr, code := runFrameworkCLI(t, "framework", "export", "mohurd-2012", "--format", "yaml", "--out", path); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(string(src), `code: "1.1"`)
	w := strings.Index(string(src)[at:], "weight: 0.3333333333333333")
	if at < 0 || w < 0 {
		t.Fatalf("exported file lacks indicator 1.1 with weight 1/3")
	}
	variant := string(src)[:at+w] + "weight: 0.6" + string(src)[at+w+len("weight: 0.3333333333333333"):]
	if err := os.WriteFile(path, []byte(variant), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runFrameworkCLI(t, "framework", "diff", "mohurd-2012", path)
	if want := "w 1.1 weight 0.3333 (equal) → 0.6, share 0.3333 → 0.4737\n"; code != 0 || stdout != want {
		t.Errorf("diff: exit %d, output\n%s\nwant\n%s", code, stdout, want)
	}
	stdout, _, _ = runFrameworkCLI(t, "framework", "diff", "--effective", "mohurd-2012", path)
	got := strings.Split(strings.TrimSpace(stdout), "\n")
	// 1.2 and 1.3 change share; the 15 leaves under 1.1–1.3 change effective weight.
	if len(got) != 1+2+11 {
		t.Errorf("diff --effective: %d lines, want 14:\n%s", len(got), stdout)
	}
	for _, line := range got[1:] {
		if !strings.HasPrefix(line, "e ") {
			t.Errorf("derived line %q does not start with e", line)
		}
		for _, part := range strings.Split(line[strings.Index(line, " ")+1:], ", ") {
			if f := strings.Fields(part); len(f) >= 4 && f[len(f)-3] == f[len(f)-1] {
				t.Errorf("line shows equal values: %q", line)
			}
		}
	}
}
