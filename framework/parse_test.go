package framework

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// snippetHeader is a valid framework header for the snippets below.
const snippetHeader = "id: t\nversion: \"1\"\nname: 测试\n"

// diagLine renders a diagnostic as "line:col severity field-or-message" so
// that expectations are short and exact.
func diagLine(d Diagnostic) string {
	return fmt.Sprintf("%d:%d %s %s", d.Line, d.Column, d.Severity, d.Message)
}

// parseCases are small files with one class of problem each, and the
// diagnostics (line:column severity message-prefix) Parse must report.
var parseCases = []struct {
	name string
	file string
	src  string
	want []string // "line:col severity message-prefix"
}{
	{"valid", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: expert\n", nil},
	{"unknown field with suggestion", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    knd: expert\n",
		[]string{"5:5 error missing: a leaf", `7:5 error unknown field "knd" (did you mean "kind"?)`}},
	{"unknown top-level field", "a.yaml", snippetHeader + "indicator: []\n",
		[]string{"1:1 error must list at least one indicator", `4:1 error unknown field "indicator" (did you mean "indicators"?)`}},
	{"valid range", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: quantitative, unit: '%', valid: {min: 0, max: 100}}\n", nil},
	{"valid range min above max", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: quantitative\n    valid: {min: 5, max: 1}\n",
		[]string{"8:12 error min must not be above max, got min 5, max 1"}},
	{"valid range without bounds", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: quantitative\n    valid: {}\n",
		[]string{"8:12 error want min, max or both"}},
	{"valid range excludes goalposts", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: quantitative\n    goalposts: {low: 0, high: 200}\n    valid: {max: 100}\n",
		[]string{"9:12 error goalposts 0–200 must lie within the valid range"}},
	{"valid range on a rubric leaf", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: rubric\n    rubric: [{label: 低, score: 0}, {label: 高, score: 100}]\n    valid: {max: 1}\n",
		[]string{"9:12 warning ignored: a rubric leaf takes a level"}},
	{"valid range on a parent", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    valid: {max: 1}\n    children: [{code: B, name: 乙, kind: expert}]\n",
		[]string{"7:12 error only a leaf"}},
	{"missing header fields", "a.yaml", "indicators:\n  - {code: A, name: 甲, kind: expert}\n",
		[]string{"1:1 error missing (letters", "1:1 error missing", "1:1 error missing"}},
	{"invalid id", "a.yaml", "id: a b\nversion: 1\nname: x\nindicators: [{code: A, name: 甲, kind: expert}]\n",
		[]string{"1:5 error \"a b\": use only"}},
	{"missing code", "a.yaml", snippetHeader + "indicators:\n  - name: 甲\n    kind: expert\n",
		[]string{"5:5 error missing (every indicator"}},
	{"invalid code", "a.yaml", snippetHeader + "indicators:\n  - {code: A/1, name: 甲, kind: expert}\n",
		[]string{"5:12 error use only letters"}},
	{"duplicate code names both lines", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert}\n  - {code: A, name: 乙, kind: expert}\n",
		[]string{"6:12 error duplicate code: used at lines 5 and 6"}},
	{"leaf without kind", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲}\n",
		[]string{"5:5 error missing: a leaf must be"}},
	{"invalid kind", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: survey}\n",
		[]string{`5:30 error "survey" is not a kind`}},
	{"negative weight", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: -0.5}\n",
		[]string{"5:46 error must be a positive finite number, got -0.5"}},
	{"zero weight", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: 0}\n",
		[]string{"5:46 error must be a positive finite number, got 0"}},
	{"NaN weight", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: .nan}\n",
		[]string{"5:46 error must be a positive finite number, got NaN"}},
	{"infinite weight", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: .inf}\n",
		[]string{"5:46 error must be a positive finite number, got +Inf"}},
	{"weight not a number", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: heavy}\n",
		[]string{`5:46 error want a number, got "heavy"`}},
	{"direction", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, direction: 2}\n",
		[]string{"5:49 error must be 1 or -1, got 2"}},
	{"rubric too short", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: rubric\n    rubric:\n      - {label: 有, score: 100}\n",
		[]string{"9:7 error a rubric needs at least 2 levels, got 1"}},
	{"rubric score out of range", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: rubric\n    rubric: [{label: 无, score: 0}, {label: 有, score: 120}]\n",
		[]string{"8:13 error level 2 (有): score must be within [0, 100], got 120"}},
	{"rubric not increasing", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    kind: rubric\n    rubric: [{label: 好, score: 80}, {label: 差, score: 80}]\n",
		[]string{"8:13 error scores must strictly increase"}},
	{"goalposts reversed", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: quantitative, goalposts: {low: 9, high: 2}}\n",
		[]string{"5:55 error low must be below high"}},
	{"kind and rubric on a non-leaf", "a.yaml", snippetHeader +
		"indicators:\n  - code: A\n    name: 甲\n    kind: rubric\n    rubric: [{label: 无, score: 0}, {label: 有, score: 100}]\n    children: [{code: A.1, name: 甲一, kind: expert}]\n",
		[]string{"7:11 error only a leaf (an indicator without children) may have a kind",
			"8:13 error only a leaf (an indicator without children) may have a rubric"}},
	{"levels do not match depth", "a.yaml", snippetHeader + "levels: [一级, 二级]\nindicators: [{code: A, name: 甲, kind: expert}]\n",
		[]string{"4:9 warning names 2 levels but the indicator tree is 1 levels deep"}},
	{"weights not summing to 1", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: 2}\n  - {code: B, name: 乙, kind: expert, weight: 3}\n",
		[]string{"5:46 warning weights of the top-level indicators sum to 5, not 1"}},
	{"mixed given and absent weights", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, weight: 0.5}\n  - {code: B, name: 乙, kind: expert}\n",
		[]string{"6:5 warning 1 of the 2 top-level indicators have a weight and B has none"}},
	{"duplicate field", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert, kind: rubric}\n",
		[]string{"5:38 error duplicate field (also at line 5)"}},
	{"text with unknown language", "a.yaml", snippetHeader + "indicators:\n  - {code: A, name: {zh: 甲, fr: A}, kind: expert}\n",
		[]string{"5:5 error missing", `5:29 error unknown language key "fr"`}},
	{"YAML syntax error", "a.yaml", snippetHeader + "indicators:\n  - code: A\n   name: 甲\n",
		[]string{"4:0 error YAML syntax error: did not find expected '-' indicator"}},
	{"tab indentation", "a.yaml", snippetHeader + "indicators:\n\t- code: A\n",
		[]string{"5:0 error YAML syntax error: found character that cannot start any token (line 5 is indented with a tab: YAML indents with spaces only)"}},
	{"empty file", "a.yaml", "", []string{"1:1 error empty file"}},
	{"not a mapping", "a.yaml", "- a\n- b\n", []string{"1:1 error want a mapping"}},
	{"JSON syntax error", "a.json", "{\n  \"id\": \"t\",\n  \"version\": \"1\"\n  \"name\": \"x\"\n}\n",
		[]string{"4:3 error JSON syntax error: invalid character '\"' after object key:value pair"}},
	{"JSON truncated", "a.json", "{\"id\": \"t\",\n \"name\": ", []string{"2:10 error JSON syntax error: unexpected end"}},
	{"JSON positions", "a.json", "{\"id\": \"t\", \"version\": \"1\", \"name\": \"x\",\n \"indicators\": [{\"code\": \"A\", \"name\": \"甲\", \"kind\": \"expert\", \"weight\": -1}]}\n",
		[]string{"2:72 error must be a positive finite number, got -1"}},
	{"sniffed JSON", "noext", "  {\"id\": \"t\", \"version\": \"1\", \"name\": \"x\", \"indicators\": []}",
		[]string{"1:58 error must list at least one indicator"}},
	{"BOM is ignored", "a.yaml", "\ufeff" + snippetHeader + "indicators:\n  - {code: A, name: 甲, kind: expert}\n", nil},
	{"parent in a nested child", "a.yaml", snippetHeader + "indicators:\n  - code: A\n    name: 甲\n    children: [{code: A.1, name: 甲一, kind: expert, parent: A}]\n",
		[]string{"7:52 error only entries of the top-level indicators list"}},
}

func TestParseDiagnostics(t *testing.T) {
	t.Parallel()
	tests := parseCases
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, diags := Parse(tt.file, []byte(tt.src))
			var got []string
			for _, d := range diags {
				got = append(got, diagLine(d))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s…", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseFiveMistakes(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/five-mistakes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, diags := Parse("five-mistakes.yaml", data)
	want := []string{
		`five-mistakes.yaml:12:9: indicator A.1: unknown field "wieght" (did you mean "weight"?)`,
		`five-mistakes.yaml:16:17: indicator A.2: weight: must be a positive finite number, got -0.5`,
		`five-mistakes.yaml:17:15: indicator A.1: code: duplicate code: used at lines 9 and 17`,
		`five-mistakes.yaml:23:9: indicator B.1: kind: missing: a leaf must be quantitative, rubric or expert`,
		`five-mistakes.yaml:29:11: indicator B.2: rubric: scores must strictly increase from worst to best level, but level 2 scores 20 after 80`,
	}
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(want), diags)
	}
	for i, d := range diags {
		if d.String() != want[i] {
			t.Errorf("diagnostic %d:\n got %s\nwant %s", i, d, want[i])
		}
	}
	if err := diags.Err(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "5 errors:\n"+want[0]) {
		t.Errorf("Err() = %v, want an error counting 5 errors", err)
	}
	if got := diags.Summary(); got != "5 errors, 0 warnings" {
		t.Errorf("Summary() = %q", got)
	}
}

func TestParseFlat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		tree string // codes in pre-order with their level
		want []string
	}{
		{"any order", snippetHeader + "indicators:\n  - {code: A.1, parent: A, name: x, kind: expert}\n  - {code: A, name: y}\n  - {code: A.2, parent: A, name: z, kind: expert}\n",
			"A/1 A.1/2 A.2/2", nil},
		{"unknown parent", snippetHeader + "indicators:\n  - {code: A, name: y, kind: expert}\n  - {code: B.1, parent: B, name: z, kind: expert}\n",
			"A/1", []string{`6:25 error unknown parent "B"`}},
		{"cycle", snippetHeader + "indicators:\n  - {code: R, name: r, kind: expert}\n  - {code: A, parent: B, name: a}\n  - {code: B, parent: A, name: b}\n",
			"R/1", []string{"6:23 error cycle of parent links: A → B → A"}},
		{"self parent", snippetHeader + "indicators:\n  - {code: R, name: r, kind: expert}\n  - {code: A, parent: A, name: a}\n",
			"R/1", []string{"6:23 error cycle of parent links: A → A"}},
		{"mixed with nesting", snippetHeader + "indicators:\n  - code: A\n    name: a\n    children: [{code: A.1, name: b, kind: expert}]\n  - {code: A.1.1, parent: A.1, name: c, kind: expert}\n",
			"A/1 A.1/2 A.1.1/3", []string{"7:43 error only a leaf (an indicator without children) may have a kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, diags := Parse("flat.yaml", []byte(tt.src))
			var got []string
			for _, d := range diags {
				got = append(got, diagLine(d))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("diagnostics:\n%s\nwant %q", strings.Join(got, "\n"), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("got %s, want %s…", got[i], tt.want[i])
				}
			}
			if tree := codeTree(f); tree != tt.tree {
				t.Errorf("tree = %q, want %q", tree, tt.tree)
			}
		})
	}
}

// codeTree lists "code/level" in pre-order.
func codeTree(f *Framework) string {
	var parts []string
	f.Walk(func(ind, _ *Indicator, level int) bool {
		parts = append(parts, fmt.Sprintf("%s/%d", ind.Code, level))
		return true
	})
	return strings.Join(parts, " ")
}

func TestParseFlatFileEqualsNested(t *testing.T) {
	t.Parallel()
	f := parseTestFile(t, "testdata/flat.yaml")
	if got, want := codeTree(f), "A/1 A.1/2 A.1.1/3 A.1.2/3 B/1 B.1/2 B.1.1/3 B.1.2/3"; got != want {
		t.Errorf("tree = %q, want %q", got, want)
	}
	// Hand calculation: A 0.6 × A.1 1 × A.1.1 1/2 = 0.3; B 0.4 × 1 × 1/2 = 0.2.
	eff := f.EffectiveWeights()
	for code, want := range map[string]float64{"A.1.1": 0.3, "A.1.2": 0.3, "B.1.1": 0.2, "B.1.2": 0.2} {
		if !nearlyEqual(eff[code], want) {
			t.Errorf("effective weight of %s = %v, want %v", code, eff[code], want)
		}
	}
}

func nearlyEqual(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// parseTestFile parses a test file and fails on errors (warnings are fine).
func parseTestFile(t *testing.T, name string) *Framework {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := Parse(name, data)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %v", name, diags.Err())
	}
	return f
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// billionLaughs builds the classic nested-alias bomb as a framework: ten
// indicators, each listing the previous one nine times as its children, so
// the last expands to 9⁹ ≈ 3.9×10⁸ indicators from about 2.7 KB of YAML.
func billionLaughs() []byte {
	var b strings.Builder
	b.WriteString("id: lol\nversion: \"1\"\nname: lol\nindicators:\n")
	b.WriteString("  - &l0 {code: lol0, name: 哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈, kind: expert}\n")
	for level := 1; level <= 9; level++ {
		fmt.Fprintf(&b, "  - &l%d\n    code: lol%d\n    name: 哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈\n    children: [", level, level)
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", level-1)
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

func TestParseRefusesAliasBomb(t *testing.T) {
	data := billionLaughs()
	if len(data) > 4000 {
		t.Fatalf("bomb is %d bytes, want a small file", len(data))
	}
	start := time.Now()
	f, diags := Parse("bomb.yaml", data)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Parse took %v, want it to fail fast", elapsed)
	}
	if f != nil || !diags.HasErrors() {
		t.Fatalf("Parse accepted the alias bomb: %v", diags)
	}
	msg := diags.String()
	if !strings.Contains(msg, strconv.Itoa(MaxExpandedNodes)) || !strings.Contains(msg, "aliases") {
		t.Errorf("error %q does not name the alias limit", msg)
	}
}

func TestParseAcceptsSharedAliases(t *testing.T) {
	// A rubric shared by alias among leaves is legitimate and stays well
	// within the budget.
	data := []byte(`id: shared
version: "1"
name: shared
indicators:
  - code: "1"
    name: 一
    children:
      - code: "1.1"
        name: 甲
        kind: rubric
        rubric: &r
          - {label: A, score: 0}
          - {label: B, score: 100}
      - code: "1.2"
        name: 乙
        kind: rubric
        rubric: *r
`)
	f, diags := Parse("shared.yaml", data)
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags)
	}
	if got := len(f.Indicators[0].Children[1].Rubric); got != 2 {
		t.Errorf("aliased rubric has %d levels, want 2", got)
	}
}
