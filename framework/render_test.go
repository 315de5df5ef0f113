package framework

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/termtable"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestRenderGolden compares every text rendering of the four-level example
// with a reviewed golden file; run with -update to rewrite them.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	f := parseTestFile(t, "testdata/four-level.yaml")
	for _, tc := range []struct{ format, lang, golden string }{
		{"tree", "zh", "four-level.tree.zh.txt"},
		{"tree", "en", "four-level.tree.en.txt"},
		{"table", "zh", "four-level.table.zh.txt"},
		{"table", "en", "four-level.table.en.txt"},
		{"md", "zh", "four-level.zh.md"},
		{"md", "en", "four-level.en.md"},
		{"csv", "zh", "four-level.csv"},
		{"json", "zh", "four-level.json"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Render(&buf, f, tc.format, tc.lang); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tc.golden)
			if *updateGolden {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./framework -update)", err)
			}
			if buf.String() != string(want) {
				t.Errorf("%s differs from golden:\n%s", tc.golden, buf.String())
			}
		})
	}
}

// TestRenderTreeAligned checks the tree's CJK alignment independently of
// the golden files: every weight column ends at the same display column.
func TestRenderTreeAligned(t *testing.T) {
	t.Parallel()
	for _, f := range []*Framework{parseTestFile(t, "testdata/four-level.yaml"), mustBuiltin(t)} {
		var buf bytes.Buffer
		if err := Render(&buf, f, "tree", "zh"); err != nil {
			t.Fatal(err)
		}
		ends := map[int]int{}
		for _, line := range strings.Split(buf.String(), "\n") {
			if strings.HasPrefix(line, "├") || strings.HasPrefix(line, "└") || strings.HasPrefix(line, "│") || strings.HasPrefix(line, " ") {
				ends[termtable.Width(line)]++
			}
		}
		if len(ends) != 1 {
			t.Errorf("%s: tree rows end at different display columns: %v\n%s", f.ID, ends, buf.String())
		}
	}
}

func mustBuiltin(t *testing.T) *Framework {
	t.Helper()
	f, ok := Builtin("mohurd-2012")
	if !ok {
		t.Fatal("mohurd-2012 missing")
	}
	return f
}

// TestRenderCSVWeights reads the CSV back and checks effective weights
// against a hand calculation for the four-level example: top-level weights
// 0.4, 0.4, 0.3 normalised by 1.1, then 0.6 × 0.7 × 2/3 for PM2.5.
func TestRenderCSVWeights(t *testing.T) {
	t.Parallel()
	f := parseTestFile(t, "testdata/four-level.yaml")
	var buf bytes.Buffer
	if err := Render(&buf, f, "csv", "zh"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "code,parent,level,name_zh,name_en,definition_zh,definition_en,weight,effective_weight,kind,unit,direction" {
		t.Errorf("header = %v", recs[0])
	}
	want := map[string][2]string{ // code → parent, effective weight
		"ENV":                {"", "0.36363636363636365"},              // 0.4/1.1
		"ENV.AIR.QUAL.PM25":  {"ENV.AIR.QUAL", "0.10181818181818182"},  // 28/275
		"SOC.HLT.ACC.BEDS":   {"SOC.HLT.ACC", "0.09090909090909091"},   // 4/11 × 1/2 × 1 × 1/2 = 1/11
		"ECO.INN.RD.GERD":    {"ECO.INN.RD", "0.2727272727272727"},     // 3/11
		"ENV.AIR.GOV.PLAN":   {"ENV.AIR.GOV", "0.06545454545454546"},   // 4/11 × 0.6 × 0.3 = 18/275
		"SOC.EDU.QUAL.PANEL": {"SOC.EDU.QUAL", "0.18181818181818182"},  // 4/11 × 1/2 = 2/11
		"ENV.WAT.USE.CONS":   {"ENV.WAT.USE", "0.07272727272727274"},   // 4/11 × 0.4 × 1/2 = 8/110
		"ENV.WAT":            {"ENV", "0.14545454545454548"},           // 4/11 × 0.4 = 16/110
		"SOC.HLT.ACC.WAIT":   {"SOC.HLT.ACC", "0.09090909090909091"},   // 1/11
		"ENV.AIR.QUAL.GOOD":  {"ENV.AIR.QUAL", "0.050909090909090904"}, // 14/275
		"ENV.AIR.QUAL":       {"ENV.AIR", "0.15272727272727274"},       // 42/275
		"ENV.WAT.USE.REUSE":  {"ENV.WAT.USE", "0.07272727272727274"},   // 8/110
	}
	for _, rec := range recs[1:] {
		w, ok := want[rec[0]]
		if !ok {
			continue
		}
		if rec[1] != w[0] {
			t.Errorf("%s: parent %q, want %q", rec[0], rec[1], w[0])
		}
		if got := parseFloat(t, rec[8]); !nearlyEqual(got, parseFloat(t, w[1])) {
			t.Errorf("%s: effective weight %s, want %s", rec[0], rec[8], w[1])
		}
	}
}

// TestRenderMarkdownNotes checks that each line of the notes stays a
// paragraph and that "- " lines form one list (Markdown would otherwise
// join the lines into one paragraph).
func TestRenderMarkdownNotes(t *testing.T) {
	t.Parallel()
	f := &Framework{ID: "n", Version: "1", Name: Text{Zh: "注"}, Notes: Text{Zh: "第一段。\n第二段：\n- 甲\n- 乙\n末段。"},
		Indicators: []*Indicator{{Code: "A", Name: Text{Zh: "甲"}, Kind: Expert}}}
	var buf bytes.Buffer
	if err := Render(&buf, f, "md", "zh"); err != nil {
		t.Fatal(err)
	}
	want := "\n第一段。\n\n第二段：\n\n- 甲\n- 乙\n\n末段。\n"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("notes not rendered as paragraphs and a list:\n%s", buf.String())
	}
}

// TestRenderMarksOnlyDeclaredDefaults: implied equal weights in a user's
// own framework are the user's choice, not "sceval default, not official";
// the built-in framework lists its assumptions in defaults and is marked.
func TestRenderMarksOnlyDeclaredDefaults(t *testing.T) {
	t.Parallel()
	user := diffBase() // no weights written anywhere
	var b strings.Builder
	if err := Render(&b, user, "table", "zh"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "非官方") || strings.Contains(b.String(), "*") {
		t.Errorf("user framework marked as sceval default:\n%s", b.String())
	}
	b.Reset()
	builtin, ok := Builtin("mohurd-2012")
	if !ok {
		t.Fatal("no built-in mohurd-2012")
	}
	if err := Render(&b, builtin, "table", "zh"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), defaultFootnote) {
		t.Errorf("built-in framework lacks the default footnote")
	}
}
