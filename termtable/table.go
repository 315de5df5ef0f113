package termtable

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Table is a plain-text table for terminals: columns padded to their widest
// cell by display Width (so Chinese names line up), separated by two
// spaces, trailing spaces trimmed.
type Table struct {
	// Header is the first row; with a header, a rule of dashes follows it
	// unless NoRule is set. A nil Header prints the rows only.
	Header []string
	NoRule bool
	// Right marks the columns aligned to the right (numbers).
	Right []bool
	Rows  [][]string
}

// WriteTo writes the table and returns the number of bytes written.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var widths []int
	measure := func(row []string) {
		for j, c := range row {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], Width(c))
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	cw := &countWriter{w: bufio.NewWriter(w)}
	if t.Header != nil {
		t.writeRow(cw, t.Header, widths)
		if !t.NoRule {
			rule := make([]string, len(widths))
			for j, n := range widths {
				rule[j] = strings.Repeat("-", n)
			}
			t.writeRow(cw, rule, widths)
		}
	}
	for _, r := range t.Rows {
		t.writeRow(cw, r, widths)
	}
	if err := cw.w.Flush(); err != nil && cw.err == nil {
		cw.err = err
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("write table: %w", cw.err)
	}
	return cw.n, nil
}

func (t *Table) writeRow(cw *countWriter, row []string, widths []int) {
	var b strings.Builder
	for j, n := range widths {
		c := ""
		if j < len(row) {
			c = row[j]
		}
		if j > 0 {
			b.WriteString("  ")
		}
		if j < len(t.Right) && t.Right[j] {
			b.WriteString(PadLeft(c, n))
		} else {
			b.WriteString(PadRight(c, n))
		}
	}
	cw.write(strings.TrimRight(b.String(), " ") + "\n")
}

// countWriter counts bytes and keeps the first error, so WriteTo can write
// row after row and check once.
type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) write(s string) {
	if c.err != nil {
		return
	}
	n, err := c.w.WriteString(s)
	c.n += int64(n)
	c.err = err
}
