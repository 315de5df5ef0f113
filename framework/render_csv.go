package framework

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvHeader is the column list of the CSV rendering.
var csvHeader = []string{"code", "parent", "level", "name_zh", "name_en", "definition_zh", "definition_en",
	"weight", "effective_weight", "kind", "unit", "direction"}

// renderCSV writes one RFC 4180 row per indicator in pre-order, with full
// float64 precision for the weights; direction is empty for non-leaves.
func renderCSV(w io.Writer, f *Framework) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range rows(f) {
		dir := ""
		if r.ind.IsLeaf() {
			dir = strconv.Itoa(int(r.ind.Sign()))
		}
		rec := []string{r.ind.Code, r.parent, strconv.Itoa(r.level), r.ind.Name.Zh, r.ind.Name.En,
			r.ind.Definition.Zh, r.ind.Definition.En,
			strconv.FormatFloat(r.weight, 'g', -1, 64), strconv.FormatFloat(r.effective, 'g', -1, 64),
			string(r.ind.Kind), r.ind.Unit, dir}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
