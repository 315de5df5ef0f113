package framework

import (
	"errors"
	"fmt"
	"strings"
)

// Severity says whether a diagnostic makes a framework unusable.
type Severity int

// The severities of a diagnostic.
const (
	// Error diagnostics make a framework invalid.
	Error Severity = iota
	// Warning diagnostics point at something sceval fixed up or ignored
	// (for example sibling weights that it normalised).
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity as "error" or "warning" (in JSON output).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("severity %q: want error or warning", b)
	}
	return nil
}

// Diagnostic is one problem found while parsing or validating a framework.
// Line and Column are 1-based; 0 means unknown (frameworks built in code).
type Diagnostic struct {
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Code     string   `json:"code,omitempty"`  // indicator code, if any
	Field    string   `json:"field,omitempty"` // field name, if any
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// String formats the diagnostic like a compiler message:
// "fw.yaml:12:7: indicator 1.2.3: weight: must be positive, got -0.5".
// Warnings carry "warning: " after the position.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		b.WriteString(":")
	}
	if d.Line > 0 {
		fmt.Fprintf(&b, "%d:", d.Line)
		if d.Column > 0 {
			fmt.Fprintf(&b, "%d:", d.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	if d.Code != "" {
		fmt.Fprintf(&b, "indicator %s: ", d.Code)
	}
	if d.Field != "" {
		fmt.Fprintf(&b, "%s: ", d.Field)
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is the list of every problem found, in file order.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns the error diagnostics.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(Error) }

// Warnings returns the warning diagnostics.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(Warning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// ErrInvalid is wrapped by the error Diagnostics.Err returns, so callers can
// tell an invalid framework from an I/O failure with errors.Is.
var ErrInvalid = errors.New("invalid framework")

// Err returns nil when there are no errors, and otherwise an error (wrapping
// ErrInvalid) whose message lists every error diagnostic, one per line.
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %d %s:\n%s", ErrInvalid, len(errs), plural(len(errs), "error", "errors"), errs)
}

// String formats every diagnostic on its own line.
func (ds Diagnostics) String() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Summary returns e.g. "5 errors, 1 warning".
func (ds Diagnostics) Summary() string {
	ne, nw := len(ds.Errors()), len(ds.Warnings())
	return fmt.Sprintf("%d %s, %d %s", ne, plural(ne, "error", "errors"), nw, plural(nw, "warning", "warnings"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
