// Package engine is sceval's pure scoring engine: it turns a units × indicators
// matrix and an indicator framework into scores at every level, ranks, star
// ratings and uncertainty estimates. It does no I/O and keeps no global state;
// results are deterministic for a given random seed.
package engine

import "math"

// Data is the engine's input: one row per unit (city, district, town…) and
// one column per leaf indicator, stored row-major. NaN marks a missing value.
type Data struct {
	// Units are the unit identifiers in row order; they are unique.
	Units []string
	// Codes are the indicator codes in column order; they are unique.
	Codes []string
	// Values holds len(Units)*len(Codes) numbers, row-major: the value of
	// unit i on indicator j is Values[i*len(Codes)+j].
	Values []float64
	// Attrs holds optional per-unit attributes by name (e.g. "province",
	// "type"), each a slice aligned with Units; group-mean imputation
	// groups units by one of them.
	Attrs map[string][]string
}

// NewData returns a Data of the given units and codes with every value
// missing (NaN).
func NewData(units, codes []string) *Data {
	v := make([]float64, len(units)*len(codes))
	for i := range v {
		v[i] = math.NaN()
	}
	return &Data{Units: units, Codes: codes, Values: v}
}

// At returns the value of unit i on indicator column j.
func (d *Data) At(i, j int) float64 { return d.Values[i*len(d.Codes)+j] }

// Set stores the value of unit i on indicator column j.
func (d *Data) Set(i, j int, v float64) { d.Values[i*len(d.Codes)+j] = v }

// Column returns a copy of indicator column j across all units.
func (d *Data) Column(j int) []float64 {
	out := make([]float64, len(d.Units))
	for i := range out {
		out[i] = d.Values[i*len(d.Codes)+j]
	}
	return out
}

// ColumnIndex returns the column of the indicator code, or -1.
func (d *Data) ColumnIndex(code string) int {
	for j, c := range d.Codes {
		if c == code {
			return j
		}
	}
	return -1
}
