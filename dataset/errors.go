package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxProblems is how many problems a read collects before it stops: enough to
// fix a file in one pass, few enough to read.
const MaxProblems = 20

// Problem is one thing wrong in a data file, located as a spreadsheet shows
// it: Row is 1-based with the header on row 1, Column is 1-based (column A
// is 1). A zero Row or Column means the problem concerns the whole file or
// the whole row.
type Problem struct {
	File   string
	Row    int
	Column int
	// Header is the column's header cell, when the column is known.
	Header string
	Msg    string
}

// Error formats the problem as
// `data.csv: row 5, column 3 "1.1.2" (C): "abc" is not a number`.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Row > 0 {
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(p.Row))
		if p.Column > 0 {
			b.WriteString(", ")
		} else {
			b.WriteString(": ")
		}
	}
	if p.Column > 0 {
		b.WriteString(columnName(p.Column, p.Header))
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// columnName names a column by number, header and spreadsheet letter:
// `column 7 "1.2.9" (G)`.
func columnName(col int, header string) string {
	if header == "" {
		return fmt.Sprintf("column %d (%s)", col, ColumnLetter(col))
	}
	return fmt.Sprintf("column %d %q (%s)", col, header, ColumnLetter(col))
}

// ColumnLetter returns the spreadsheet letter of a 1-based column number:
// 1 → A, 26 → Z, 27 → AA.
func ColumnLetter(col int) string {
	var buf [8]byte
	i := len(buf)
	for col > 0 && i > 0 {
		col--
		i--
		buf[i] = byte('A' + col%26)
		col /= 26
	}
	return string(buf[i:])
}

// ReadError lists every problem found in one data file (up to MaxProblems).
// Callers can inspect Problems to branch on rows or columns.
type ReadError struct {
	File     string
	Problems []*Problem
	// Truncated is set when reading stopped at MaxProblems.
	Truncated bool
}

// Error returns one line per problem; a single problem is reported alone.
func (e *ReadError) Error() string {
	if len(e.Problems) == 1 && !e.Truncated {
		return e.Problems[0].Error()
	}
	var b strings.Builder
	if e.Truncated {
		fmt.Fprintf(&b, "%s: %d problems or more (reading stopped at %d):", e.File, len(e.Problems), MaxProblems)
	} else {
		fmt.Fprintf(&b, "%s: %d problems:", e.File, len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// problems collects Problems for one file until MaxProblems.
type problems struct {
	file string
	list []*Problem
	full bool
}

// add records a problem and reports whether there is room for more.
func (ps *problems) add(row, col int, header, format string, args ...any) bool {
	if ps.full {
		return false
	}
	ps.list = append(ps.list, &Problem{File: ps.file, Row: row, Column: col, Header: header, Msg: fmt.Sprintf(format, args...)})
	if len(ps.list) >= MaxProblems {
		ps.full = true
	}
	return !ps.full
}

// err returns the collected problems as a *ReadError, or nil.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ReadError{File: ps.file, Problems: ps.list, Truncated: ps.full}
}

// insertHeader inserts problems of the header row after the problems
// already reported on it and before those of later rows, dropping the last
// problems if the list would exceed MaxProblems.
func (ps *problems) insertHeader(list []*Problem) {
	if len(list) == 0 {
		return
	}
	at := 0
	for at < len(ps.list) && ps.list[at].Row <= 1 {
		at++
	}
	merged := append(append(append([]*Problem(nil), ps.list[:at]...), list...), ps.list[at:]...)
	if len(merged) >= MaxProblems {
		merged, ps.full = merged[:MaxProblems], true
	}
	ps.list = merged
}
