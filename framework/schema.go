package framework

import (
	_ "embed"
	"slices"
)

//go:embed schema/framework.schema.json
var jsonSchema []byte

// JSONSchema returns the JSON Schema (draft 2020-12) of the framework file
// format, for editors and other tools. Parse remains the authority: it also
// checks what a schema cannot express (unique codes, parent links, sums).
func JSONSchema() []byte { return slices.Clone(jsonSchema) }
