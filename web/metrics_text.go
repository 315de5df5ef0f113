package web

import (
	"bufio"
	"math"
	"strconv"
	"strings"
)

// expo writes the Prometheus text exposition format, version 0.0.4
// (Prometheus documentation, "Exposition formats"): a "# HELP" and a
// "# TYPE" line per family, then one line per sample,
// name{label="value",…} value. Write errors are left to the caller's
// Flush.
type expo struct{ w *bufio.Writer }

// family starts a metric family of the given type (counter, gauge,
// histogram, summary).
func (e expo) family(name, typ, help string) {
	e.w.WriteString("# HELP " + name + " " + helpEscaper.Replace(help) + "\n")
	e.w.WriteString("# TYPE " + name + " " + typ + "\n")
}

// sample writes one sample; labels are name, value pairs.
func (e expo) sample(name string, value float64, labels ...string) {
	e.w.WriteString(name)
	if len(labels) > 0 {
		e.w.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				e.w.WriteByte(',')
			}
			e.w.WriteString(labels[i] + `="` + labelEscaper.Replace(labels[i+1]) + `"`)
		}
		e.w.WriteByte('}')
	}
	e.w.WriteByte(' ')
	e.w.WriteString(formatValue(value))
	e.w.WriteByte('\n')
}

// histogram writes a histogram's cumulative buckets, sum and count.
func (e expo) histogram(name string, h *histogram, labels ...string) {
	var cumulative uint64
	for i, n := range h.counts {
		cumulative += n
		le := "+Inf"
		if i < len(h.bounds) {
			le = formatValue(h.bounds[i])
		}
		e.sample(name+"_bucket", float64(cumulative), append(labels[:len(labels):len(labels)], "le", le)...)
	}
	e.sample(name+"_sum", h.sum, labels...)
	e.sample(name+"_count", float64(h.count), labels...)
}

var (
	// In HELP text a backslash and a line feed are escaped; in label values
	// also the double quote.
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// formatValue writes a float as Go's shortest representation, with the
// format's spellings of the infinities and NaN.
func formatValue(v float64) string {
	switch {
	case math.IsInf(v, +1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
