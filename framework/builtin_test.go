package framework

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestBuiltinFilesValid parses every embedded file: a built-in framework
// that does not parse cleanly would otherwise silently vanish from Builtin.
func TestBuiltinFilesValid(t *testing.T) {
	t.Parallel()
	files := builtinFiles()
	if len(files) == 0 {
		t.Fatal("no embedded framework files")
	}
	var ids []string
	for name, data := range files {
		f, diags := Parse(name, data)
		if diags.HasErrors() {
			t.Errorf("%s: %v", name, diags.Err())
			continue
		}
		for _, w := range diags.Warnings() {
			t.Errorf("%s: built-in frameworks should not need warnings: %s", name, w)
		}
		if want := "builtin/" + f.ID + ".yaml"; name != want {
			t.Errorf("%s holds framework %q: name the file %s", name, f.ID, want)
		}
		ids = append(ids, f.ID)
	}
	slices.Sort(ids)
	if got := BuiltinIDs(); !slices.Equal(got, ids) {
		t.Errorf("BuiltinIDs() = %v, want %v", got, ids)
	}
	if !slices.Contains(ids, "mohurd-2012") {
		t.Error("mohurd-2012 is not built in")
	}
}

func TestBuiltinReturnsCopies(t *testing.T) {
	t.Parallel()
	a, ok := Builtin("mohurd-2012")
	if !ok {
		t.Fatal("mohurd-2012 missing")
	}
	a.Indicators[0].Name.Zh = "changed"
	w := 42.0
	a.Indicators[0].Weight = &w
	a.Indicators = a.Indicators[:1]
	b, _ := Builtin("mohurd-2012")
	if b.Indicators[0].Name.Zh == "changed" || b.Indicators[0].Weight != nil || len(b.Indicators) < 2 {
		t.Error("changing one Builtin result changed the next one")
	}
	if _, ok := Builtin("no-such-framework"); ok {
		t.Error(`Builtin("no-such-framework") reported ok`)
	}
}

// TestSchema checks that the JSON Schema is valid JSON of the expected
// draft, and that the built-in framework exported as JSON has the required
// fields and types the schema demands (a structural check in Go; sceval
// does not depend on a schema validator).
func TestSchema(t *testing.T) {
	t.Parallel()
	var schema map[string]any
	if err := json.Unmarshal(JSONSchema(), &schema); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", schema["$schema"])
	}
	required, _ := schema["required"].([]any)
	props, _ := schema["properties"].(map[string]any)
	f, _ := Builtin("mohurd-2012")
	var buf bytes.Buffer
	if err := ExportJSON(&buf, f); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range required {
		if _, ok := doc[r.(string)]; !ok {
			t.Errorf("export lacks required field %v", r)
		}
	}
	for key := range doc {
		if _, ok := props[key]; !ok {
			t.Errorf("export has field %q that the schema does not allow", key)
		}
	}
	defs := schema["$defs"].(map[string]any)
	indProps := defs["indicatorProperties"].(map[string]any)["properties"].(map[string]any)
	checkSchemaIndicators(t, doc["indicators"].([]any), indProps)
}

func checkSchemaIndicators(t *testing.T, list []any, props map[string]any) {
	t.Helper()
	for _, item := range list {
		ind := item.(map[string]any)
		code, ok := ind["code"].(string)
		if !ok || code == "" {
			t.Fatalf("indicator without a string code: %v", ind)
		}
		for key, val := range ind {
			if _, ok := props[key]; !ok {
				t.Errorf("indicator %s: field %q not in the schema", code, key)
			}
			switch key {
			case "name", "definition":
				text, ok := val.(map[string]any)
				_, zh := text["zh"].(string)
				_, en := text["en"].(string)
				if !ok || !zh || !en {
					t.Errorf("indicator %s: %s is not a {zh, en} object", code, key)
				}
			case "weight":
				if w, ok := val.(float64); !ok || w <= 0 {
					t.Errorf("indicator %s: weight %v is not a positive number", code, val)
				}
			case "kind":
				if !strings.Contains("quantitative rubric expert", val.(string)) {
					t.Errorf("indicator %s: kind %v", code, val)
				}
			}
		}
		if children, ok := ind["children"].([]any); ok {
			checkSchemaIndicators(t, children, props)
		}
	}
}

// TestBuiltinCompiledMatchesFiles checks that builtin_gen.go is what Parse
// makes of the embedded files today: an edit of a file without `go generate
// ./framework` fails here instead of shipping the old framework.
func TestBuiltinCompiledMatchesFiles(t *testing.T) {
	t.Parallel()
	compiled := builtinCompiled()
	files := builtinFiles()
	if len(compiled) != len(files) {
		t.Errorf("builtin_gen.go holds %d frameworks, builtin/ %d files: run go generate ./framework", len(compiled), len(files))
	}
	for name, data := range files {
		parsed, diags := Parse(name, data)
		if diags.HasErrors() {
			continue // TestBuiltinFilesValid reports it
		}
		got, ok := compiled[parsed.ID]
		if !ok {
			t.Errorf("%s (%s) is not in builtin_gen.go: run go generate ./framework", name, parsed.ID)
			continue
		}
		if !reflect.DeepEqual(got, parsed) {
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(parsed)
			t.Errorf("builtin_gen.go differs from %s (JSON %d vs %d bytes): run go generate ./framework", name, len(a), len(b))
		}
	}
}
