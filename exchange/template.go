package exchange

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the entries template.
const (
	SheetInstructions = "填写说明 Instructions"
	SheetData         = "数据"
	SheetIndicators   = "指标 Indicators"
	SheetLevels       = "等级 Levels"
)

// maxSheetRows is Excel's row limit per sheet: a bulk template with more
// data rows continues on sheets 数据2, 数据3, … each with the header.
const maxSheetRows = 1 << 20

// templateWidths are the data sheet's column widths (in characters; CJK
// text needs about two per character).
var templateWidths = map[string]float64{
	platform.ColPilotID: 9, platform.ColPilot: 22, platform.ColRegion: 12, platform.ColCode: 10, platform.ColName: 30,
	platform.ColDefinition: 60, platform.ColUnit: 8, platform.ColKind: 12, platform.ColValue: 12, platform.ColLevel: 14,
	platform.ColNarrative: 60, platform.ColNA: 8,
}

// KindName names a leaf kind in Chinese.
func KindName(k framework.Kind) string {
	switch k {
	case framework.Rubric:
		return "评分标准等级"
	case framework.Expert:
		return "专家评分"
	}
	return "定量数值"
}

// WriteTemplate writes the entries template of sh as an XLSX workbook:
// the instructions (zh/en), the data sheet(s) — one row per pilot ×
// leaf, pre-filled with the current entries, the input columns (value,
// level with a drop-down of the rubric's levels, narrative, not
// applicable) unlocked and every other cell protected, the header frozen —
// the indicators with their definitions and rubrics, and a hidden sheet of
// the level lists. Importing it unchanged changes nothing.
func WriteTemplate(w io.Writer, sh *platform.EntrySheet) error {
	f := excelize.NewFile()
	defer f.Close()
	t, err := newTemplate(f, sh)
	if err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	if err := t.write(); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	f.SetActiveSheet(1)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

type template struct {
	f      *excelize.File
	sh     *platform.EntrySheet
	bulk   bool
	header int // style IDs
	locked int
	input  int
	number int
	groups []string // level list key per group, in order
	group  []int    // per leaf: its level group (-1: no rubric)
}

func newTemplate(f *excelize.File, sh *platform.EntrySheet) (*template, error) {
	t := &template{f: f, sh: sh, bulk: len(sh.Pilots) > 1}
	var err error
	lock := func(locked bool) *excelize.Protection { return &excelize.Protection{Locked: locked} }
	if t.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Protection: lock(true),
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	if t.locked, err = f.NewStyle(&excelize.Style{Protection: lock(true), Alignment: &excelize.Alignment{Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}); err != nil {
		return nil, err
	}
	if t.input, err = f.NewStyle(&excelize.Style{Protection: lock(false), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return nil, err
	}
	if t.number, err = f.NewStyle(&excelize.Style{Protection: lock(false), Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, leaf := range sh.Leaves {
		if len(leaf.Rubric) == 0 {
			t.group = append(t.group, -1)
			continue
		}
		key := strings.Join(platform.LevelTexts(leaf), "\x00")
		g, ok := seen[key]
		if !ok {
			g = len(t.groups)
			seen[key] = g
			t.groups = append(t.groups, key)
		}
		t.group = append(t.group, g)
	}
	return t, nil
}

func (t *template) write() error {
	if err := t.f.SetSheetName("Sheet1", SheetInstructions); err != nil {
		return err
	}
	if err := t.instructions(); err != nil {
		return err
	}
	if err := t.data(); err != nil {
		return err
	}
	if err := t.indicators(); err != nil {
		return err
	}
	return t.levels()
}

// levels writes the hidden sheet the drop-downs refer to: one row per
// distinct list of level texts.
func (t *template) levels() error {
	if _, err := t.f.NewSheet(SheetLevels); err != nil {
		return err
	}
	for g, key := range t.groups {
		texts := strings.Split(key, "\x00")
		row := make([]any, len(texts))
		for i, s := range texts {
			row[i] = dataset.SafeText(s)
		}
		if err := t.f.SetSheetRow(SheetLevels, "A"+strconv.Itoa(g+1), &row); err != nil {
			return err
		}
	}
	return t.f.SetSheetVisible(SheetLevels, false)
}

// levelList is the validation formula of group g: its row of SheetLevels.
func (t *template) levelList(g int) string {
	n := len(strings.Split(t.groups[g], "\x00"))
	r := strconv.Itoa(g + 1)
	return "'" + SheetLevels + "'!$A$" + r + ":$" + dataset.ColumnLetter(n) + "$" + r
}

func (t *template) instructions() error {
	lines := []string{
		fmt.Sprintf("%s 填报模板 / entries template — 周期 %d（%s %s@%s）", t.sh.Cycle.Name, t.sh.Cycle.ID, t.sh.Framework.Name.In("zh"), t.sh.Framework.ID, t.sh.Framework.Version),
		"填写方法：在“数据”表中每行是一个试点的一个三级指标。只填写白色的四列：数值、等级（下拉选择）、填报说明、不适用（是/否）；灰色列受保护，不要修改。",
		"How to fill in: each row of the data sheet is one pilot × one leaf indicator. Fill in only the white columns: value, level (drop-down), narrative, not applicable (是/否); the grey columns are protected.",
		"定量指标填写数值（只填数字，不带单位；百分比填 85，不要填 85%，Excel 会把 85% 存成 0.85）；评分标准指标选择等级；可以两者都填的指标以数值为准。标为不适用须本周期允许并在填报说明中写明原因。",
		"Quantitative indicators take a number (no unit; a percentage as 85, not 85%, which Excel stores as 0.85); rubric indicators take a level. Not applicable needs the cycle's permission and a reason in the narrative.",
		"导入：sceval import entries 文件 --cycle ID --dry-run 先检查（列出每个错误的单元格），无误后去掉 --dry-run 导入；也可在网页“数据交换”中上传。未修改的行不会产生任何变更。",
		"Import: sceval import entries FILE --cycle ID --dry-run first (every error with its cell), then without --dry-run; or upload it on the web page. Unchanged rows change nothing.",
		"指标的名称、说明和评分标准见“指标 Indicators”表。",
	}
	if len(t.sh.NotApplicable) > 0 {
		lines = append(lines, "本周期允许标为不适用的指标 / may be marked not applicable: "+strings.Join(t.sh.NotApplicable, "、"))
	}
	for i, l := range lines {
		if err := t.f.SetCellStr(SheetInstructions, "A"+strconv.Itoa(i+1), dataset.SafeText(l)); err != nil {
			return err
		}
	}
	return t.f.SetColWidth(SheetInstructions, "A", "A", 140)
}
