package framework

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestExportRoundTrip checks, for each format, that export → parse →
// export is byte-identical and that the re-imported framework resolves to
// exactly the same values (weights, effective weights, directions, texts).
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	builtin, ok := Builtin("mohurd-2012")
	if !ok {
		t.Fatal("built-in mohurd-2012 missing")
	}
	sources := map[string]*Framework{
		"builtin":    builtin,
		"four-level": parseTestFile(t, "testdata/four-level.yaml"),
		"flat":       parseTestFile(t, "testdata/flat.yaml"),
	}
	for name, f := range sources {
		for _, format := range []string{"json", "yaml"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				t.Parallel()
				var first bytes.Buffer
				if err := Export(&first, f, format); err != nil {
					t.Fatal(err)
				}
				g, diags := Parse("export."+format, first.Bytes())
				if diags.HasErrors() || len(diags) > 0 {
					t.Fatalf("re-import: %v", diags)
				}
				var second bytes.Buffer
				if err := Export(&second, g, format); err != nil {
					t.Fatal(err)
				}
				if first.String() != second.String() {
					t.Errorf("export is not stable:\n%s\n---\n%s", first.String(), second.String())
				}
				if !reflect.DeepEqual(f.Resolved(), g.Resolved()) {
					t.Error("re-imported framework resolves differently")
				}
				// The seed's definition of 3.3.1 ends with a space; it must survive.
				if ind := g.Lookup("3.3.1"); name == "builtin" && (ind == nil || !strings.HasSuffix(ind.Definition.Zh, " ")) {
					t.Error("3.3.1 lost the trailing space of its definition")
				}
				if !reflect.DeepEqual(f.EffectiveWeights(), g.EffectiveWeights()) {
					t.Error("effective weights differ after the round trip")
				}
			})
		}
	}
}

func TestExportKeepsTrailingSpaceAndNoHTMLEscape(t *testing.T) {
	t.Parallel()
	f := &Framework{ID: "t", Version: "1", Name: Text{Zh: "甲"}, Indicators: []*Indicator{
		{Code: "A", Name: Text{Zh: "R&D <投入>"}, Definition: Text{Zh: "指… "}, Kind: Expert}}}
	for _, format := range []string{"json", "yaml"} {
		var buf bytes.Buffer
		if err := Export(&buf, f, format); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "R&D <投入>") {
			t.Errorf("%s: name escaped:\n%s", format, buf.String())
		}
		g, diags := Parse("x."+format, buf.Bytes())
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		if got := g.Lookup("A").Definition.Zh; got != "指… " {
			t.Errorf("%s: definition = %q, want trailing space kept", format, got)
		}
	}
}

// TestExportShape checks the documented export shape on a hand-built
// framework: resolved weight on every indicator, direction only on leaves,
// definition always present, texts always as {zh, en} objects.
func TestExportShape(t *testing.T) {
	t.Parallel()
	two := 2.0
	f := &Framework{ID: "t", Version: "1", Name: Text{Zh: "甲", En: "A"}, Indicators: []*Indicator{
		{Code: "A", Name: Text{Zh: "甲"}, Children: []*Indicator{
			{Code: "A.1", Name: Text{Zh: "甲一"}, Kind: Expert, Weight: &two},
			{Code: "A.2", Name: Text{Zh: "甲二"}, Kind: Quantitative, Direction: -1, Weight: &two},
		}}}}
	var buf bytes.Buffer
	if err := ExportJSON(&buf, f); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/golden/export-shape.json")
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}
