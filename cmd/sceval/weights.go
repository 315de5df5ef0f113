package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"
)

func newWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "weights",
		Short: "Derive indicator weights: AHP, entropy, CRITIC, PCA",
		Long: `Weights derives indicator weights, either from expert judgements (AHP
pairwise comparison matrices, one or several experts) or from the data
(entropy weight, CRITIC, PCA-based). Every method, its formula, source and
variants are described in docs/weights.md.`,
		Example: `  sceval weights ahp judgements.csv
  sceval weights ahp expert1.csv expert2.csv expert3.csv --format json
  sceval weights entropy --data towns.csv --attr province --framework mohurd-2012
  sceval weights critic --data towns.csv --attr province --sd population --format json`,
	}
	cmd.AddCommand(newWeightsAHPCmd(), newWeightsEntropyCmd(), newWeightsCRITICCmd(), newWeightsPCACmd())
	return cmd
}

// wtCheckFormat validates a --format value of the weights commands.
func wtCheckFormat(format string) error {
	if format != "table" && format != "json" {
		return fmt.Errorf("--format %q: want table or json", format)
	}
	return nil
}

// wtCodeValues is a JSON object of per-code numbers that keeps the codes in
// framework (column) order, unlike a Go map.
type wtCodeValues struct {
	codes  []string
	values []float64
}

// MarshalJSON writes {"code": value, …} in code order.
func (c wtCodeValues) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, code := range c.codes {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(code)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.WriteString(wtJSONNumber(c.values[i]))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// wtJSONNumber formats v for JSON: shortest round-trip form, null for NaN
// or infinities (which JSON cannot carry).
func wtJSONNumber(v float64) string {
	if v != v || v > 1e308 || v < -1e308 {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// wtWriteJSON writes v as indented JSON followed by a newline.
func wtWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// wtFmt formats a number for the tables: 4 decimals, as weights and
// consistency figures are usually reported.
func wtFmt(v float64) string {
	if v != v {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}
