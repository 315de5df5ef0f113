package framework

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the framework parser as YAML and as
// JSON. Properties: Parse never panics; a framework it accepts passes
// Validate; exporting an accepted framework and parsing the export gives a
// valid framework with no differences and a byte-identical second export.
// Seeds: testdata/fuzz/FuzzParse and every framework file under testdata.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"doc-example.yaml", "doc-example.json", "five-mistakes.yaml", "flat.yaml",
		"four-level.yaml", "four-level.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, strings.HasSuffix(name, ".json"))
	}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := "fuzz.yaml"
		if asJSON {
			name = "fuzz.json"
		}
		fw, diags := Parse(name, data)
		if fw == nil || diags.HasErrors() {
			return
		}
		if v := Validate(fw); v.HasErrors() {
			t.Fatalf("Parse accepted a framework Validate refuses: %v", v)
		}
		for _, format := range []string{"json", "yaml"} {
			roundTrip(t, fw, format)
		}
	})
}

// roundTrip exports fw, parses the export and checks it is the same
// framework and exports to the same bytes.
func roundTrip(t *testing.T, fw *Framework, format string) {
	t.Helper()
	var first bytes.Buffer
	if err := Export(&first, fw, format); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	back, diags := Parse("export."+format, first.Bytes())
	if back == nil || diags.HasErrors() {
		t.Fatalf("export %s does not parse back: %v\n%s", format, diags, first.Bytes())
	}
	if changes := Diff(fw, back); len(changes) != 0 {
		t.Fatalf("export %s changes the framework: %v", format, changes)
	}
	var second bytes.Buffer
	if err := Export(&second, back, format); err != nil {
		t.Fatalf("second export %s: %v", format, err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatalf("export %s is not stable:\n%s\n---\n%s", format, first.Bytes(), second.Bytes())
	}
}

// FuzzParseSeedText feeds arbitrary text to the seed parser. Properties:
// it never panics; on success the indicators are in pre-order with unique
// positional codes, each level's parent is the indicator above it, and
// third-level indicators (only they) carry a definition, all names
// non-empty and free of line breaks and tabs.
// Seeds: testdata/fuzz/FuzzParseSeedText and the real seed file.
func FuzzParseSeedText(f *testing.F) {
	seed, err := os.ReadFile("testdata/mohurd-2012-seed.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Fuzz(func(t *testing.T, text string) {
		inds, err := ParseSeedText(text)
		if err != nil {
			return
		}
		checkSeedShape(t, inds)
	})
}

// checkSeedShape checks the structural properties of a parsed seed.
func checkSeedShape(t *testing.T, inds []SeedIndicator) {
	t.Helper()
	seen := map[string]bool{}
	lastAt := map[int]string{} // the most recent code at each level
	for i, ind := range inds {
		if seen[ind.Code] {
			t.Fatalf("indicator %d: duplicate code %s", i, ind.Code)
		}
		seen[ind.Code] = true
		if ind.Level < 1 || ind.Level > 3 || strings.Count(ind.Code, ".") != ind.Level-1 {
			t.Fatalf("indicator %s: level %d", ind.Code, ind.Level)
		}
		if ind.Level > 1 && ind.ParentCode != lastAt[ind.Level-1] {
			t.Fatalf("indicator %s: parent %q, want %q", ind.Code, ind.ParentCode, lastAt[ind.Level-1])
		}
		if ind.NameZh == "" || strings.ContainsAny(ind.NameZh, "\t\n") || strings.ContainsAny(ind.DefinitionZh, "\t\n") {
			t.Fatalf("indicator %s: name %q, definition %q", ind.Code, ind.NameZh, ind.DefinitionZh)
		}
		if (ind.Level == 3) != (ind.DefinitionZh != "") {
			t.Fatalf("indicator %s (level %d): definition %q", ind.Code, ind.Level, ind.DefinitionZh)
		}
		lastAt[ind.Level] = ind.Code
	}
	if len(inds) == 0 || inds[len(inds)-1].Level != 3 {
		t.Fatalf("seed does not end with a third-level indicator")
	}
}
