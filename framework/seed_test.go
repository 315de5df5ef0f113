package framework

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The flag has its own name so that it cannot clash with other golden tests
// of the package.
var updateSeedDoc = flag.Bool("update-seed-doc", false, "rewrite "+seedDocPath+" from "+seedYAMLPath)

const (
	seedPath = "testdata/mohurd-2012-seed.txt"
	// upstreamSeedPath is the project's shared seed, present on development
	// machines and in CI next to the repository.
	upstreamSeedPath = "../../shared/seeds/000_ba9cceb1301eacea.txt"
	seedYAMLPath     = "builtin/mohurd-2012.yaml"
	seedDocPath      = "../docs/mohurd-2012.md"
)

func readSeed(t *testing.T) []SeedIndicator {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := ParseSeedText(string(data))
	if err != nil {
		t.Fatalf("parse %s: %v", seedPath, err)
	}
	return seed
}

// readSeedFramework decodes the built-in file with yaml.v3 alone, so that
// this test does not depend on Parse.
func readSeedFramework(t *testing.T) *Framework {
	t.Helper()
	data, err := os.ReadFile(seedYAMLPath)
	if err != nil {
		t.Fatal(err)
	}
	var f Framework
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("decode %s: %v", seedYAMLPath, err)
	}
	return &f
}

func TestSeedUpstreamCopy(t *testing.T) {
	t.Parallel()
	upstream, err := os.ReadFile(upstreamSeedPath)
	if os.IsNotExist(err) {
		t.Skipf("upstream seed %s not present: byte comparison skipped", upstreamSeedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	local, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(upstream, local) {
		t.Errorf("%s differs from the upstream seed %s", seedPath, upstreamSeedPath)
	}
}

func TestParseSeedText(t *testing.T) {
	t.Parallel()
	seed := readSeed(t)

	counts := map[int]int{}
	children := map[string]int{}
	for i, s := range seed {
		counts[s.Level]++
		children[s.ParentCode]++
		// Pre-order: a parent comes right before its first child.
		if s.Level > 1 && children[s.ParentCode] == 1 && seed[i-1].Code != s.ParentCode {
			t.Errorf("%s: parent %s is not right before its first child", s.Code, s.ParentCode)
		}
		want := strconv.Itoa(children[s.ParentCode])
		if s.ParentCode != "" {
			want = s.ParentCode + "." + want
		}
		if s.Code != want || strings.Count(s.Code, ".") != s.Level-1 {
			t.Errorf("indicator %d: code %q level %d, want code %q", i, s.Code, s.Level, want)
		}
		if (s.Level == 3) != (s.DefinitionZh != "") {
			t.Errorf("%s: level %d with definition %q", s.Code, s.Level, s.DefinitionZh)
		}
	}
	if counts[1] != 4 || counts[2] != 11 || counts[3] != 57 {
		t.Errorf("counts by level = %v, want 4/11/57", counts)
	}
	// DESIGN.md §1: third-level counts under each second-level indicator.
	want := map[string]int{"1.1": 5, "1.2": 3, "1.3": 3, "2.1": 8, "2.2": 8, "3.1": 4, "3.2": 8, "3.3": 11, "4.1": 2, "4.2": 2, "4.3": 3}
	for code, n := range want {
		if children[code] != n {
			t.Errorf("%s has %d children, want %d", code, children[code], n)
		}
	}

	byCode := map[string]SeedIndicator{}
	for _, s := range seed {
		byCode[s.Code] = s
	}
	checks := []struct{ code, name, defPart string }{
		{"1", "保障体系与基础设施", ""},
		{"1.1.1", "智慧城市发展规划纲要及实施方案", "指智慧城市发展规划纲要及实施方案的完整性和可行性。"},
		{"2.2.3", "节水应用", "循环利用情况,以及利用"},     // ASCII comma, as in the seed
		{"3.3.1", "智能交通", "交通诱导信息应用等方面情况。 "}, // trailing space, as in the seed
		{"4.1", "产业规划", ""},
		{"4.1.1", "产业规划", "战略性产业规划编制"},
		{"4.3.3", "其它新兴产业", "反映城市其它新兴产业的发展及提升状况。"},
	}
	for _, c := range checks {
		s := byCode[c.code]
		if s.NameZh != c.name || !strings.Contains(s.DefinitionZh, c.defPart) {
			t.Errorf("%s = %q %q, want name %q and definition containing %q", c.code, s.NameZh, s.DefinitionZh, c.name, c.defPart)
		}
	}
	if d := byCode["3.3.1"].DefinitionZh; !strings.HasSuffix(d, "。 ") {
		t.Errorf("3.3.1 definition lost its trailing space: %q", d)
	}
}

func TestParseSeedTextErrors(t *testing.T) {
	t.Parallel()
	const header = "标题\n\n\t一级指标\n\t二级指标\n\t三级指标\n\t指标说明\n\n"
	tests := []struct{ name, text, want string }{
		{"empty", "", "no table"},
		{"no header", "\t一级\n\t二级\n\t三级\n\t说明\n", "line 1: header row"},
		{"header only", header, "no indicators"},
		{"short record", header + "\tA\n\tB\n\tC\n", "line 8: record of 3 lines"},
		{"untabbed cell", header + "\tA\n\tB\nC\n\tD\n", "line 10: cell does not start with a tab"},
		{"tab in cell", header + "\tA\n\tB\n\tC\n\tD\tE\n", "line 11: tab inside a cell"},
		{"no first level", header + "\t\n\tB\n\tC\n\tD\n", "line 8: first row has no first-level"},
		{"first without second", header + "\tA\n\t\n\tC\n\tD\n", "line 8: first-level indicator \"A\" without"},
		{"empty name", header + "\tA\n\tB\n\t\n\tD\n", "line 10: empty third-level name"},
		{"empty definition", header + "\tA\n\tB\n\tC\n\t\n", "line 11: empty definition"},
		{"tab in preamble", "标题\tx\n" + header, "line 1: tab inside a preamble line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSeedText(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}

	got, err := ParseSeedText(strings.ReplaceAll(header+"\tA\n\tB\n\tC\n\tD \n\n\t\n\tE\n\tF\n\tG\n", "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []SeedIndicator{
		{Code: "1", Level: 1, NameZh: "A"},
		{Code: "1.1", Level: 2, ParentCode: "1", NameZh: "B"},
		{Code: "1.1.1", Level: 3, ParentCode: "1.1", NameZh: "C", DefinitionZh: "D "},
		{Code: "1.2", Level: 2, ParentCode: "1", NameZh: "E"},
		{Code: "1.2.1", Level: 3, ParentCode: "1.2", NameZh: "F", DefinitionZh: "G"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("CRLF text parsed as\n%+v\nwant\n%+v", got, want)
	}
}

// TestSeedFramework checks builtin/mohurd-2012.yaml against the seed and
// against the conventions of DESIGN.md §1 and §3.
func TestSeedFramework(t *testing.T) {
	t.Parallel()
	seed := readSeed(t)
	f := readSeedFramework(t)

	if f.ID != "mohurd-2012" || f.Version == "" || f.Name.Zh != "国家智慧城市（区、镇）试点指标体系（试行）" || f.Name.En == "" {
		t.Errorf("header: id %q version %q name %+v", f.ID, f.Version, f.Name)
	}
	if f.Source.Zh == "" || f.Source.En == "" || f.Notes.Zh == "" || f.Notes.En == "" || len(f.Levels) != 3 {
		t.Errorf("source, notes or levels missing")
	}
	if got := f.CountByLevel(); !slices.Equal(got, []int{4, 11, 57}) {
		t.Errorf("counts by level = %v, want [4 11 57]", got)
	}

	var nodes []*Indicator
	f.Walk(func(ind, parent *Indicator, level int) bool {
		nodes = append(nodes, ind)
		if i := len(nodes) - 1; i < len(seed) {
			s := seed[i]
			parentCode := ""
			if parent != nil {
				parentCode = parent.Code
			}
			if ind.Code != s.Code || level != s.Level || parentCode != s.ParentCode {
				t.Errorf("node %d: code %q level %d parent %q, seed has %q level %d parent %q",
					i, ind.Code, level, parentCode, s.Code, s.Level, s.ParentCode)
			}
			if ind.Name.Zh != s.NameZh {
				t.Errorf("%s: zh name %q, seed has %q", ind.Code, ind.Name.Zh, s.NameZh)
			}
			if ind.Definition.Zh != s.DefinitionZh {
				t.Errorf("%s: zh definition %q, seed has %q", ind.Code, ind.Definition.Zh, s.DefinitionZh)
			}
		}
		checkSeedIndicator(t, ind)
		return true
	})
	if len(nodes) != len(seed) {
		t.Errorf("%d indicators, seed has %d", len(nodes), len(seed))
	}

	// Every rubric level describes something specific to its indicator.
	seen := map[string]string{}
	for _, leaf := range f.Leaves() {
		for i, lvl := range leaf.Rubric {
			where := fmt.Sprintf("%s level %d", leaf.Code, i+1)
			for _, d := range []string{"zh:" + lvl.Description.Zh, "en:" + lvl.Description.En} {
				if prev, dup := seen[d]; dup {
					t.Errorf("%s repeats the description of %s: %q", where, prev, d)
				}
				seen[d] = where
			}
		}
	}
}

// checkSeedIndicator checks one node of the built-in framework.
func checkSeedIndicator(t *testing.T, ind *Indicator) {
	t.Helper()
	c := ind.Code
	if ind.Name.En == "" {
		t.Errorf("%s: no English name", c)
	}
	if ind.Weight != nil {
		t.Errorf("%s: weight %v; the seed has none, equal weights are the default", c, *ind.Weight)
	}
	if !slices.Contains(ind.Defaults, "weight") {
		t.Errorf("%s: defaults %v lack weight", c, ind.Defaults)
	}
	if !ind.IsLeaf() {
		if !ind.Definition.IsZero() || ind.Kind != "" || len(ind.Rubric) > 0 {
			t.Errorf("%s: a non-leaf with a definition, kind or rubric", c)
		}
		return
	}
	if ind.Definition.En == "" {
		t.Errorf("%s: no English definition", c)
	}
	if ind.Kind != Rubric && ind.Kind != Quantitative {
		t.Errorf("%s: kind %q, want rubric or quantitative", c, ind.Kind)
	}
	if ind.Direction != 1 && ind.Direction != -1 {
		t.Errorf("%s: direction %d, want ±1", c, ind.Direction)
	}
	wantDefaults := []string{"weight", "kind", "direction", "rubric"}
	if ind.Kind == Quantitative {
		wantDefaults = append(wantDefaults, "unit", "goalposts")
		if ind.Unit == "" || ind.Goalposts == nil || !(ind.Goalposts.Low < ind.Goalposts.High) {
			t.Errorf("%s: quantitative without unit or with goalposts %+v", c, ind.Goalposts)
		}
	}
	for _, d := range wantDefaults {
		if !slices.Contains(ind.Defaults, d) {
			t.Errorf("%s: defaults %v lack %s", c, ind.Defaults, d)
		}
	}
	if len(ind.Rubric) != 5 {
		t.Errorf("%s: %d rubric levels, want 5", c, len(ind.Rubric))
	}
	for i, lvl := range ind.Rubric {
		if lvl.Score < 0 || lvl.Score > 100 || (i > 0 && lvl.Score <= ind.Rubric[i-1].Score) {
			t.Errorf("%s: level %d score %v not strictly increasing within [0, 100]", c, i+1, lvl.Score)
		}
		if lvl.Label.Zh == "" || lvl.Label.En == "" || lvl.Description.Zh == "" || lvl.Description.En == "" {
			t.Errorf("%s: level %d lacks a label or description", c, i+1)
		}
	}
}

// TestSeedBuiltin checks that the file also loads through Builtin, the way
// the rest of sceval reads it.
func TestSeedBuiltin(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(seedYAMLPath)
	if err != nil {
		t.Fatal(err)
	}
	_, diags := Parse(seedYAMLPath, data)
	if diags.HasErrors() {
		t.Fatalf("Parse: %v", diags.Errors())
	}
	for _, d := range diags.Warnings() {
		t.Logf("Parse warning: %v", d)
	}
	got, ok := Builtin("mohurd-2012")
	if !ok {
		t.Fatal(`Builtin("mohurd-2012") not found`)
	}
	want := readSeedFramework(t)
	var gotCodes, wantCodes []string
	got.Walk(func(ind, _ *Indicator, _ int) bool {
		gotCodes = append(gotCodes, ind.Code+" "+ind.Name.Zh)
		return true
	})
	want.Walk(func(ind, _ *Indicator, _ int) bool {
		wantCodes = append(wantCodes, ind.Code+" "+ind.Name.Zh)
		return true
	})
	if !slices.Equal(gotCodes, wantCodes) {
		t.Errorf("Builtin indicators differ from the file:\n%v\nwant\n%v", gotCodes, wantCodes)
	}
	if l := got.Lookup("3.3.1"); l == nil || l.Definition != want.Lookup("3.3.1").Definition {
		t.Errorf("Builtin 3.3.1 definition differs from the file")
	}
}

// TestSeedDoc keeps docs/mohurd-2012.md in step with the built-in file.
// Regenerate with: go test ./framework -run TestSeedDoc -update-seed-doc
// (the package's -update flag, when declared, does it too).
func TestSeedDoc(t *testing.T) {
	got := renderSeedDoc(readSeedFramework(t))
	if *updateSeedDoc || boolFlagSet("update") {
		if err := os.WriteFile(seedDocPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(seedDocPath)
	if err != nil {
		t.Fatalf("%v (create it with -update-seed-doc)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./framework -run TestSeedDoc -update-seed-doc", seedDocPath)
	}
}

// boolFlagSet reports whether the boolean test flag name is defined and set,
// so that the package's general -update flag (if any) regenerates the page
// too, without this file depending on where that flag is declared.
func boolFlagSet(name string) bool {
	f := flag.Lookup(name)
	return f != nil && f.Value.String() == "true"
}

// renderSeedDoc renders the Markdown page docs/mohurd-2012.md.
func renderSeedDoc(f *Framework) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	cell := func(s string) string {
		return strings.NewReplacer("|", `\|`, "\n", "<br>").Replace(s)
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	// notes writes one paragraph a line, keeping "- " lines together as a list.
	notes := func(text string) {
		lines := strings.Split(text, "\n")
		for i, line := range lines {
			p("%s\n", line)
			nextItem := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "- ")
			if !strings.HasPrefix(line, "- ") || !nextItem {
				p("\n")
			}
		}
	}

	p("# %s\n\n**%s**\n\n", f.Name.Zh, f.Name.En)
	p("<!-- Generated from framework/%s by `go test ./framework -run TestSeedDoc -update-seed-doc`; do not edit by hand. -->\n\n", seedYAMLPath)
	p("> This page is generated from [`framework/%s`](../framework/%s), the built-in framework `%s` (version `%s`). ", seedYAMLPath, seedYAMLPath, f.ID, f.Version)
	p("After editing that file, regenerate it with `go test ./framework -run TestSeedDoc -update-seed-doc`; the test fails while the page is out of date.\n\n")
	counts := f.CountByLevel()
	p("**Source:** %s\n\n%s\n\n", f.Source.En, f.Source.Zh)
	p("%d first-level, %d second-level and %d third-level indicators. ", counts[0], counts[1], counts[2])
	p("Codes are positional, in the source's order. Chinese names and definitions are verbatim from the source; the English texts are sceval's translation.\n\n")

	p("## What is official and what is not\n\n")
	p("The Chinese names and definitions are the source's. **Everything else — the English texts, equal weights, kinds, directions, units, goalposts and rubrics — is sceval's assumption, not official, and editable.**\n\n")
	notes(f.Notes.En)
	p("<details><summary>说明（中文）</summary>\n\n")
	notes(f.Notes.Zh)
	p("</details>\n\n")

	p("## Indicators\n\n")
	for _, first := range f.Indicators {
		p("### %s %s — %s\n\n", first.Code, first.Name.Zh, first.Name.En)
		for _, second := range first.Children {
			p("#### %s %s — %s\n\n", second.Code, second.Name.Zh, second.Name.En)
			p("| Code | 指标 / Indicator | 指标说明 / Definition |\n|---|---|---|\n")
			for _, leaf := range second.Children {
				p("| %s | %s<br>%s | %s<br>*%s* |\n", leaf.Code, cell(leaf.Name.Zh), cell(leaf.Name.En),
					cell(leaf.Definition.Zh), cell(leaf.Definition.En))
			}
			p("\n")
		}
	}

	p("## Defaults (sceval's assumptions, not official)\n\n")
	p("Weights: none are given, so siblings weigh equally at every level; the effective weight is the product of the sibling weights on the path from the root. ")
	p("Directions: 1 means higher is better. Goalposts: the low value maps to 0 and the high value to 100.\n\n")
	p("| Code | 指标 / Indicator | Kind | Direction | Unit | Goalposts | Effective weight |\n|---|---|---|---|---|---|---|\n")
	eff := f.EffectiveWeights()
	for _, leaf := range f.Leaves() {
		unit, goal := "", ""
		if leaf.Unit != "" {
			unit = cell(leaf.Unit)
		}
		if g := leaf.Goalposts; g != nil {
			goal = num(g.Low) + "–" + num(g.High)
		}
		p("| %s | %s<br>%s | %s | %d | %s | %s | %.2f %% |\n", leaf.Code, cell(leaf.Name.Zh), cell(leaf.Name.En),
			leaf.Kind, leaf.Direction, unit, goal, 100*eff[leaf.Code])
	}
	p("\n")

	p("## Default rubrics (sceval's assumptions, not official)\n\n")
	p("Every leaf has a five-level rubric; on quantitative leaves it is the fallback when no number is available.\n\n")
	for _, leaf := range f.Leaves() {
		p("### %s %s — %s\n\n", leaf.Code, leaf.Name.Zh, leaf.Name.En)
		p("| Score | 等级 / Level | 描述 / Description |\n|---|---|---|\n")
		for _, lvl := range leaf.Rubric {
			p("| %s | %s<br>%s | %s<br>*%s* |\n", num(lvl.Score), cell(lvl.Label.Zh), cell(lvl.Label.En),
				cell(lvl.Description.Zh), cell(lvl.Description.En))
		}
		p("\n")
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
