package platform

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
)

// importRow is one parsed and checked data row of an entries file.
type importRow struct {
	sheet string
	line  int
	// sub indexes the import's submissions, leaf the plan's leaves; -1
	// when unknown.
	sub, leaf int
	pilotID   int64
	code      string
	entry     Entry
	problems  []EntryImportProblem
}

// rowProblem records a problem of the row's cell in column key.
func (r *importRow) rowProblem(cols map[string]int, key, format string, args ...any) {
	col := cols[key]
	r.problems = append(r.problems, EntryImportProblem{Cell: cellRef(r.sheet, col, r.line), Sheet: r.sheet, Row: r.line,
		Column: key, PilotID: r.pilotID, Code: r.code, Message: fmt.Sprintf(format, args...)})
}

// field returns the trimmed text of the row's cell in column key.
func field(fields []string, cols map[string]int, key string) (string, bool) {
	i, ok := cols[key]
	if !ok || i >= len(fields) {
		return "", ok
	}
	return strings.TrimSpace(fields[i]), true
}

// parseRow reads the input cells of a row into r.entry, checking them
// against the leaf (r.leaf ≥ 0). Every problem is recorded with its cell.
func (im *entryImport) parseRow(r *importRow, fields []string, cols map[string]int) {
	leaf := im.plan.leaves[r.leaf]
	e := Entry{Code: leaf.Code}
	if s, _ := field(fields, cols, ColValue); s != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		switch {
		case err != nil:
			r.rowProblem(cols, ColValue, "“%s”不是数字：数值列只填数字（如 85 或 12.5），不带单位和文字", shorten(s))
		case math.IsNaN(v) || math.IsInf(v, 0):
			r.rowProblem(cols, ColValue, "“%s”不是有限的数字", shorten(s))
		default:
			e.Value = &v
		}
	}
	if s, _ := field(fields, cols, ColLevel); s != "" {
		if l, ok := levelOf(leaf, s); ok {
			e.Level = &l
		} else if len(leaf.Rubric) == 0 {
			r.rowProblem(cols, ColLevel, "指标 %s 没有评分标准等级，请在数值列填写数值，等级列留空", leaf.Code)
		} else {
			r.rowProblem(cols, ColLevel, "等级“%s”不在指标 %s 的评分标准中（可选：%s）", shorten(s), leaf.Code, strings.Join(LevelTexts(leaf), "、"))
		}
	}
	// The narrative is taken as written (spaces kept), so that an
	// exported narrative reads back unchanged.
	if i, ok := cols[ColNarrative]; ok && i < len(fields) {
		e.Narrative = dataset.UnescapeText(fields[i])
	}
	if s, _ := field(fields, cols, ColNA); s != "" {
		na, ok := yesNo(s)
		if !ok {
			r.rowProblem(cols, ColNA, "“%s”不是“是”或“否”", shorten(s))
		}
		e.NotApplicable = na
	}
	if len(r.problems) > 0 {
		return
	}
	out, err := im.plan.validateEntry(leaf.Code, EntryInput{Value: e.Value, Level: e.Level, Narrative: e.Narrative, NotApplicable: e.NotApplicable})
	if err != nil {
		im.explain(r, cols, leaf, e, err)
		return
	}
	r.entry = out
}

// explain records validateEntry's refusal in Chinese at the cell it
// concerns.
func (im *entryImport) explain(r *importRow, cols map[string]int, leaf *framework.Indicator, e Entry, err error) {
	pe, _ := err.(*Error)
	if pe == nil {
		r.rowProblem(cols, ColCode, "%v", err)
		return
	}
	switch {
	case pe.Field == "value" && pe.Code == CodeOutOfRange && leaf.Kind == framework.Expert:
		r.rowProblem(cols, ColValue, "数值 %v 超出指标 %s 的有效范围 [0, 100]（专家评分）", *e.Value, leaf.Code)
	case pe.Field == "value" && pe.Code == CodeOutOfRange:
		r.rowProblem(cols, ColValue, "数值 %v 超出指标 %s 的有效范围 %s", *e.Value, leaf.Code, describeRange(validRange(leaf), leaf.Unit))
	case pe.Field == "value":
		r.rowProblem(cols, ColValue, "指标 %s 按评分标准等级评价：请在等级列选择等级，数值列留空", leaf.Code)
	case pe.Field == "narrative" && pe.Code == CodeReasonRequired:
		r.rowProblem(cols, ColNarrative, "指标 %s 标为不适用时，须在填报说明中写明原因", leaf.Code)
	case pe.Field == "narrative":
		r.rowProblem(cols, ColNarrative, "填报说明超过 %d 个字", maxNarrative)
	case pe.Field == "not_applicable" && pe.Code == CodeNotApplicable:
		r.rowProblem(cols, ColNA, "本周期不允许将指标 %s 标为不适用（允许的指标：%s）", leaf.Code, orNone(im.plan.naCodes))
	case pe.Field == "not_applicable":
		r.rowProblem(cols, ColNA, "指标 %s 标为不适用时，数值和等级须留空", leaf.Code)
	default:
		r.rowProblem(cols, ColCode, "%s", pe.Message)
	}
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "无"
	}
	return strings.Join(list, "、")
}

// LevelTexts are the texts of a leaf's rubric levels as the template's
// drop-down lists them: "1 未开展", "2 起步", ….
func LevelTexts(leaf *framework.Indicator) []string {
	out := make([]string, len(leaf.Rubric))
	for i, l := range leaf.Rubric {
		out[i] = strconv.Itoa(i+1) + " " + l.Label.In("zh")
	}
	return out
}

// levelOf reads a rubric level written as its drop-down text ("3 推进"),
// its number ("3") or its label in Chinese or English ("推进").
func levelOf(leaf *framework.Indicator, s string) (int, bool) {
	n := len(leaf.Rubric)
	if n == 0 {
		return 0, false
	}
	num := s
	if i := strings.IndexAny(s, " \u3000"); i > 0 {
		num = s[:i]
	}
	if l, err := strconv.Atoi(num); err == nil {
		if l < 1 || l > n {
			return 0, false
		}
		if num != s && strings.TrimSpace(s[len(num):]) != leaf.Rubric[l-1].Label.In("zh") {
			return 0, false
		}
		return l, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && f >= 1 && f <= float64(n) {
		return int(f), true
	}
	for i, l := range leaf.Rubric {
		if s == l.Label.Zh || strings.EqualFold(s, l.Label.En) {
			return i + 1, true
		}
	}
	return 0, false
}

// yesNo reads the not-applicable column.
func yesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "是", "y", "yes", "true", "1", "√", "不适用":
		return true, true
	case "否", "n", "no", "false", "0":
		return false, true
	}
	return false, false
}

// shorten cuts a cell's text for a message.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
