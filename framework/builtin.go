package framework

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"sync"
)

// builtinFS holds the built-in frameworks, one file per framework, in the
// same format users write (docs/framework-format.md).
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtinSet is built once, on first use, from builtin_gen.go: the files
// compiled into Go literals by internal/genbuiltin, because parsing the YAML
// at run time cost a cold `sceval score` more than the scoring itself
// (BENCHMARKS.md, "Start-up"). TestBuiltinCompiledMatchesFiles keeps the two
// equal, and TestBuiltinFilesValid the files valid.
//
//go:generate go run ./internal/genbuiltin
var builtinSet = sync.OnceValue(builtinCompiled)

// builtinFiles returns the embedded framework files by name.
func builtinFiles() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := fs.ReadDir(builtinFS, "builtin") // embedded: cannot fail
	for _, e := range entries {
		name := path.Join("builtin", e.Name())
		if data, err := builtinFS.ReadFile(name); err == nil {
			out[name] = data
		}
	}
	return out
}

// Builtin returns the built-in framework with the given id (for example
// "mohurd-2012"). Each call returns a fresh deep copy that the caller may
// change.
func Builtin(id string) (*Framework, bool) {
	f, ok := builtinSet()[id]
	if !ok {
		return nil, false
	}
	return f.Clone(), true
}

// BuiltinIDs returns the ids of the built-in frameworks, sorted.
func BuiltinIDs() []string {
	var ids []string
	for id := range builtinSet() {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
