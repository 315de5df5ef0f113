package exchange

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/xuri/excelize/v2"
)

// xlsxBook is a workbook being written with the exports' shared styles.
type xlsxBook struct {
	f                             *excelize.File
	header, score, percent, plain int
}

func newBook() (*xlsxBook, error) {
	b := &xlsxBook{f: excelize.NewFile()}
	var err error
	if b.header, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	two := "0.00"
	if b.score, err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &two}); err != nil {
		return nil, err
	}
	if b.percent, err = b.f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
		return nil, err
	}
	b.plain, err = b.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	return b, err
}

// sheet streams rows onto a sheet with a frozen header of freezeCols
// columns; cells holding strings are escaped (SafeText).
func (b *xlsxBook) sheet(name string, first bool, widths []float64, freezeCols int, header []string, rows func(add func([]any) error) error) error {
	if first {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	top, _ := excelize.CoordinatesToCellName(freezeCols+1, 2)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: freezeCols, YSplit: 1, TopLeftCell: top, ActivePane: "bottomRight"}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: b.header, Value: dataset.SafeText(h)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	err = rows(func(cells []any) error {
		n++
		for i, c := range cells {
			switch v := c.(type) {
			case string:
				cells[i] = dataset.SafeText(v)
			case excelize.Cell:
				if s, ok := v.Value.(string); ok {
					v.Value = dataset.SafeText(s)
					cells[i] = v
				}
			}
		}
		return sw.SetRow("A"+strconv.Itoa(n), cells)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

func (b *xlsxBook) write(w io.Writer) error {
	defer b.f.Close()
	return b.f.Write(w)
}

func (b *xlsxBook) num(v *float64, style int) any {
	if v == nil {
		return nil
	}
	return excelize.Cell{StyleID: style, Value: *v}
}

// WriteResultsXLSX writes the table as a workbook: the results sheet
// (scores with two decimals, coverage as a percentage, a red–yellow–green
// colour scale on the total, header and pilot columns frozen) and a notes
// sheet with the run.
func WriteResultsXLSX(w io.Writer, t *ResultsTable) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	const sheet = "结果 Results"
	if len(t.Rows) > 0 {
		// Conditional formats must exist before the sheet streams.
		if _, err := b.f.NewSheet(sheet); err != nil {
			return err
		}
		ref := fmt.Sprintf("E2:E%d", len(t.Rows)+1)
		if err := b.f.SetConditionalFormat(sheet, ref, []excelize.ConditionalFormatOptions{{Type: "3_color_scale", Criteria: "=",
			MinType: "min", MidType: "percentile", MaxType: "max", MidValue: "50", MinColor: "#F8696B", MidColor: "#FFEB84", MaxColor: "#63BE7B"}}); err != nil {
			return err
		}
		if err := b.f.DeleteSheet("Sheet1"); err != nil {
			return err
		}
	}
	widths := []float64{8, 10, 24, 12, 10, 8, 10, 10}
	for range t.Nodes[1:] {
		widths = append(widths, 14)
	}
	err = b.sheet(sheet, len(t.Rows) == 0, widths, 3, t.header(), func(add func([]any) error) error {
		for _, r := range t.Rows {
			cells := []any{intCell(r.Rank), r.PilotID, r.Pilot, r.RegionCode, b.num(r.Score, b.score), intCell(r.Stars),
				excelize.Cell{StyleID: b.percent, Value: r.Coverage}, r.Ranked}
			for _, s := range r.Scores[1:] {
				cells = append(cells, b.num(s, b.score))
			}
			if err := add(cells); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write results XLSX: %w", err)
	}
	err = b.sheet("说明 Notes", false, []float64{22, 80}, 0, []string{"项目 item", "内容 value"}, func(add func([]any) error) error {
		for _, kv := range [][2]string{{"周期 cycle", strconv.FormatInt(t.Run.CycleID, 10)}, {"计算时间 computed at", t.Run.ComputedAt.Format("2006-01-02 15:04:05 MST")},
			{"指标体系 framework", t.Run.FrameworkID + "@" + t.Run.FrameworkVersion}, {"输入哈希 input hash", t.Run.InputHash},
			{"试点数 pilots", strconv.Itoa(t.Run.Pilots)}, {"未排名 flagged", strconv.Itoa(t.Run.Flagged)}, {"已过期 stale", strconv.FormatBool(t.Run.Stale)}} {
			if err := add([]any{kv[0], kv[1]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write results XLSX: %w", err)
	}
	return b.write(w)
}

func intCell(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

// WriteFrameworkXLSX writes a framework's indicators: code, level, parent,
// names, definition, kind, unit, weight among siblings and effective
// weight, rubric levels.
func WriteFrameworkXLSX(w io.Writer, fw *framework.Framework) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	eff := fw.EffectiveWeights()
	header := []string{"代码 code", "层级 level", "上级 parent", "名称 name", "English name", "说明 definition", "类型 kind", "单位 unit",
		"权重 weight", "全局权重 effective weight", "等级 levels"}
	err = b.sheet("指标体系 Framework", true, []float64{10, 6, 8, 30, 36, 70, 12, 8, 10, 12, 40}, 1, header, func(add func([]any) error) error {
		var walk func(list []*framework.Indicator, parent string, level int) error
		walk = func(list []*framework.Indicator, parent string, level int) error {
			for i, wt := range framework.SiblingWeights(list) {
				ind := list[i]
				kind, levels := "", ""
				if ind.IsLeaf() {
					kind = KindName(ind.Kind)
					levels = strings.Join(platform.LevelTexts(ind), "\n")
				}
				if err := add([]any{ind.Code, level, parent, ind.Name.In("zh"), ind.Name.En, excelize.Cell{StyleID: b.plain, Value: ind.Definition.In("zh")},
					kind, ind.Unit, wt, eff[ind.Code], levels}); err != nil {
					return err
				}
				if err := walk(ind.Children, ind.Code, level+1); err != nil {
					return err
				}
			}
			return nil
		}
		return walk(fw.Indicators, "", 1)
	})
	if err != nil {
		return fmt.Errorf("write framework XLSX: %w", err)
	}
	return b.write(w)
}

// WriteFrameworkMarkdown writes a framework as Markdown (the renderer of
// `sceval framework show --format md`).
func WriteFrameworkMarkdown(w io.Writer, fw *framework.Framework) error {
	return framework.Render(w, fw, "md", "zh")
}

// WriteSubmissionXLSX writes a submission with its entries: one row per
// leaf of the framework, with the entry's value, level, narrative, not
// applicable mark, version, time and evidence count.
func WriteSubmissionXLSX(w io.Writer, sub platform.Submission, fw *framework.Framework) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	entries := map[string]platform.Entry{}
	for _, e := range sub.Entries {
		entries[e.Code] = e
	}
	header := []string{"指标代码 code", "指标名称 name", "类型 kind", "单位 unit", "数值 value", "等级 level", "填报说明 narrative", "不适用 n/a",
		"版本 version", "更新时间 updated", "佐证材料 evidence"}
	title := fmt.Sprintf("申报 %d", sub.ID)
	err = b.sheet(title, true, []float64{10, 30, 12, 8, 12, 12, 60, 8, 8, 20, 10}, 1, header, func(add func([]any) error) error {
		for _, leaf := range fw.Leaves() {
			e, ok := entries[leaf.Code]
			cells := []any{leaf.Code, leaf.Name.In("zh"), KindName(leaf.Kind), leaf.Unit}
			if !ok {
				cells = append(cells, nil, nil, "", "", nil, "", 0)
			} else {
				level := ""
				if e.Level != nil && *e.Level >= 1 && *e.Level <= len(leaf.Rubric) {
					level = platform.LevelTexts(leaf)[*e.Level-1]
				}
				na := ""
				if e.NotApplicable {
					na = "是"
				}
				cells = append(cells, b.num(e.Value, b.plain), level, excelize.Cell{StyleID: b.plain, Value: e.Narrative}, na, e.Version,
					e.UpdatedAt.Format("2006-01-02 15:04:05"), len(e.Evidence))
			}
			if err := add(cells); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write submission XLSX: %w", err)
	}
	return b.write(w)
}

// Submission reads a submission and its cycle's framework through the
// service (which decides who may read them).
func Submission(ctx context.Context, svc *platform.Service, id int64) (platform.Submission, *framework.Framework, error) {
	sub, err := svc.GetSubmission(ctx, id)
	if err != nil {
		return sub, nil, err
	}
	fw, err := svc.CycleFramework(ctx, sub.CycleID)
	return sub, fw, err
}
