package dataset

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// TextTable is a plain-text table for terminals: columns padded to the
// widest cell, counting East Asian wide characters (汉字, full-width forms)
// as two columns so that Chinese unit names line up.
type TextTable struct {
	Header []string
	// Right marks the columns aligned to the right (numbers).
	Right []bool
	Rows  [][]string
}

// WriteTo writes the table with two spaces between columns and a rule
// under the header; trailing spaces are trimmed.
func (t *TextTable) WriteTo(w io.Writer) (int64, error) {
	widths := make([]int, len(t.Header))
	measure := func(row []string) {
		for j, c := range row {
			if j < len(widths) {
				widths[j] = max(widths[j], DisplayWidth(c))
			}
		}
	}
	measure(t.Header)
	for _, r := range t.Rows {
		measure(r)
	}
	cw := &countWriter{w: bufio.NewWriter(w)}
	t.writeRow(cw, t.Header, widths)
	rule := make([]string, len(widths))
	for j, n := range widths {
		rule[j] = strings.Repeat("-", n)
	}
	t.writeRow(cw, rule, widths)
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

func (t *TextTable) writeRow(cw *countWriter, row []string, widths []int) {
	var b strings.Builder
	for j, n := range widths {
		c := ""
		if j < len(row) {
			c = row[j]
		}
		if j > 0 {
			b.WriteString("  ")
		}
		pad := strings.Repeat(" ", n-DisplayWidth(c))
		if j < len(t.Right) && t.Right[j] {
			b.WriteString(pad + c)
		} else {
			b.WriteString(c + pad)
		}
	}
	cw.write(strings.TrimRight(b.String(), " ") + "\n")
}

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

// DisplayWidth returns the number of terminal columns s occupies: two for
// East Asian wide and full-width characters (Unicode UAX #11 classes W and
// F, by their main blocks), zero for combining marks, one otherwise.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// wideRanges are the main East Asian Wide/Fullwidth blocks (UAX #11).
var wideRanges = [...][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo initials
	{0x2E80, 0x303E},   // CJK radicals, Kangxi, ideographic punctuation
	{0x3041, 0x33FF},   // kana, bopomofo, CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE30, 0xFE4F},   // CJK compatibility forms
	{0xFF00, 0xFF60},   // full-width forms
	{0xFFE0, 0xFFE6},   // full-width signs
	{0x1F300, 0x1F64F}, // pictographs and emoticons
	{0x20000, 0x3FFFD}, // CJK extensions B and later
}

func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case r <= 0x36F, r == 0x200B:
		return 0 // combining diacritics, zero-width space
	}
	for _, wr := range wideRanges {
		if r >= wr[0] && r <= wr[1] {
			return 2
		}
	}
	return 1
}
