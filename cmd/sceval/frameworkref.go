package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sceval/sceval/framework"
)

// loadFramework resolves a framework reference given on the command line:
// a built-in id (see `sceval framework list`) or the path of a YAML or JSON
// framework file. Warnings about a file (for example weights sceval
// normalises) are printed to warn; an invalid file is an error listing every
// problem with its line and column.
func loadFramework(ref string, warn io.Writer) (*framework.Framework, error) {
	if !looksLikePath(ref) {
		if f, ok := framework.Builtin(ref); ok {
			return f, nil
		}
	}
	data, err := os.ReadFile(ref)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !looksLikePath(ref) {
			return nil, fmt.Errorf("unknown framework %q: not a built-in id (%s) and no such file",
				ref, strings.Join(framework.BuiltinIDs(), ", "))
		}
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, fmt.Errorf("open framework %s: %w", ref, err)
	}
	f, diags := framework.Parse(ref, data)
	if err := diags.Err(); err != nil {
		return nil, fmt.Errorf("load framework %s: %w", ref, err)
	}
	for _, d := range diags.Warnings() {
		fmt.Fprintln(warn, d.String())
	}
	return f, nil
}

// looksLikePath reports whether ref is clearly a file path rather than a
// built-in id: it has a directory part or a framework file extension.
func looksLikePath(ref string) bool {
	if strings.ContainsAny(ref, `/\`) {
		return true
	}
	switch strings.ToLower(filepath.Ext(ref)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}
