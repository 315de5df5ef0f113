package dataset

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/sceval/sceval/engine"
)

// WriteDataCSV writes d in the layout ReadCSV reads: a header "unit", the
// attribute columns (sorted by name) and the indicator codes, then one row
// per unit. Missing values are empty cells; other values use strconv's
// shortest representation, so reading the file back gives the same bits.
func WriteDataCSV(w io.Writer, d *engine.Data) error {
	bw := bufio.NewWriterSize(w, 1<<18)
	attrs := make([]string, 0, len(d.Attrs))
	for name := range d.Attrs {
		attrs = append(attrs, name)
	}
	slices.Sort(attrs)
	line := []byte("unit")
	for _, h := range append(attrs, d.Codes...) {
		line = AppendCSVField(append(line, ','), h)
	}
	line = append(line, '\n')
	nc := len(d.Codes)
	for i, unit := range d.Units {
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write data CSV: %w", err)
		}
		line = AppendCSVField(line[:0], unit)
		for _, name := range attrs {
			line = append(line, ',')
			if vals := d.Attrs[name]; i < len(vals) {
				line = AppendCSVField(line, vals[i])
			}
		}
		for _, v := range d.Values[i*nc : (i+1)*nc] {
			line = append(line, ',')
			if !math.IsNaN(v) {
				line = strconv.AppendFloat(line, v, 'g', -1, 64)
			}
		}
		line = append(line, '\n')
	}
	if _, err := bw.Write(line); err != nil {
		return fmt.Errorf("write data CSV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write data CSV: %w", err)
	}
	return nil
}
