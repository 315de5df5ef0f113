package exchange

import (
	"strconv"
	"strings"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/xuri/excelize/v2"
)

// fillRow sets row to the cells of one pilot × leaf: the protected
// description, then the unlocked inputs pre-filled with the entry.
func (t *template) fillRow(row []any, p platform.CycleSubmission, leaf *framework.Indicator, entries map[string]platform.Entry) {
	e, has := entries[leaf.Code]
	lock := func(v any) excelize.Cell { return excelize.Cell{StyleID: t.locked, Value: v} }
	def := ""
	if !t.bulk {
		def = leaf.Definition.In("zh")
	}
	var value, level any
	narrative, na := "", ""
	if has {
		if e.Value != nil {
			value = *e.Value
		}
		if e.Level != nil && *e.Level >= 1 && *e.Level <= len(leaf.Rubric) {
			level = dataset.SafeText(platform.LevelTexts(leaf)[*e.Level-1])
		}
		narrative = e.Narrative
		if e.NotApplicable {
			na = "是"
		}
	}
	i := 0
	for _, v := range []any{p.PilotID, dataset.SafeText(p.PilotName), dataset.SafeText(p.RegionCode), dataset.SafeText(leaf.Code),
		dataset.SafeText(leaf.Name.In("zh")), dataset.SafeText(def), dataset.SafeText(leaf.Unit), KindName(leaf.Kind)} {
		row[i] = lock(v)
		i++
	}
	row[i] = excelize.Cell{StyleID: t.number, Value: value}
	row[i+1] = excelize.Cell{StyleID: t.input, Value: level}
	row[i+2] = excelize.Cell{StyleID: t.input, Value: dataset.SafeText(narrative)}
	row[i+3] = excelize.Cell{StyleID: t.input, Value: na}
}

// indicators writes the indicators sheet: code, names, definition, unit,
// kind, valid range and rubric levels of every leaf.
func (t *template) indicators() error {
	if _, err := t.f.NewSheet(SheetIndicators); err != nil {
		return err
	}
	sw, err := t.f.NewStreamWriter(SheetIndicators)
	if err != nil {
		return err
	}
	for i, w := range []float64{10, 30, 36, 70, 8, 12, 16, 60} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := []any{"指标代码 code", "名称 name", "English name", "说明 definition", "单位 unit", "类型 kind", "有效范围 valid", "等级 levels"}
	for i, h := range header {
		header[i] = excelize.Cell{StyleID: t.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, leaf := range t.sh.Leaves {
		var levels []string
		for j, l := range leaf.Rubric {
			levels = append(levels, strconv.Itoa(j+1)+" "+l.Label.In("zh")+"："+l.Description.In("zh"))
		}
		row := []any{leaf.Code, leaf.Name.In("zh"), leaf.Name.En, leaf.Definition.In("zh"), leaf.Unit, KindName(leaf.Kind),
			validText(leaf), strings.Join(levels, "\n")}
		for j, v := range row {
			row[j] = dataset.SafeText(v.(string))
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// validText writes a leaf's valid range as "[0, 100]" or "".
func validText(leaf *framework.Indicator) string {
	r := leaf.Valid
	if r == nil && leaf.Unit == "%" {
		return "[0, 100]"
	}
	if r == nil {
		return ""
	}
	lo, hi := "−∞", "+∞"
	if r.Min != nil {
		lo = dataset.FormatNumber(*r.Min)
	}
	if r.Max != nil {
		hi = dataset.FormatNumber(*r.Max)
	}
	return "[" + lo + ", " + hi + "]"
}
