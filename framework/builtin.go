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

// builtinSet is parsed once, on first use. An embedded file that does not
// parse is a programming error: it is left out here and TestBuiltinFilesValid
// fails.
var builtinSet = sync.OnceValue(func() map[string]*Framework {
	out := map[string]*Framework{}
	for name, data := range builtinFiles() {
		f, diags := Parse(name, data)
		if f != nil && !diags.HasErrors() {
			out[f.ID] = f
		}
	}
	return out
})

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
