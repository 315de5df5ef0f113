package framework

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// RenderFormats lists the formats Render accepts.
var RenderFormats = []string{"tree", "table", "md", "csv", "json", "yaml"}

// Render writes f to w in one of RenderFormats: "tree" (a terminal tree
// with box-drawing characters), "table" (aligned columns), "md"
// (Markdown), "csv" (one row per indicator) or "json"/"yaml" (as Export).
// lang is "zh" (default) or "en"; English falls back to Chinese where a
// text has no translation. Columns are aligned by display width, counting
// Chinese characters as two columns (termtable.Width).
func Render(w io.Writer, f *Framework, format, lang string) error {
	if lang != "en" {
		lang = "zh"
	}
	var err error
	switch format {
	case "tree", "":
		err = renderTree(w, f, lang)
	case "table":
		err = renderTable(w, f, lang)
	case "md", "markdown":
		err = renderMarkdown(w, f, lang)
	case "csv":
		err = renderCSV(w, f)
	case "json", "yaml":
		return Export(w, f, format)
	default:
		return fmt.Errorf("render framework %s: unknown format %q (want %s)", f.ID, format, strings.Join(RenderFormats, ", "))
	}
	if err != nil {
		return fmt.Errorf("render framework %s as %s: %w", f.ID, format, err)
	}
	return nil
}

// row is one indicator with everything a renderer shows about it.
type row struct {
	ind       *Indicator
	parent    string // parent code, "" at the top
	level     int
	last      []bool // for each ancestor level and this one: is it the last sibling?
	weight    float64
	effective float64
}

// rows flattens f in pre-order with resolved and effective weights.
func rows(f *Framework) []row {
	eff := f.EffectiveWeights()
	var out []row
	var walk func(list []*Indicator, parent string, last []bool)
	walk = func(list []*Indicator, parent string, last []bool) {
		for i, w := range SiblingWeights(list) {
			ind := list[i]
			l := append(slices.Clone(last), i == len(list)-1)
			out = append(out, row{ind: ind, parent: parent, level: len(l), last: l, weight: w, effective: eff[ind.Code]})
			walk(ind.Children, ind.Code, l)
		}
	}
	walk(f.Indicators, "", nil)
	return out
}

// IsDefault reports whether the indicator's field (e.g. "weight", "kind")
// is sceval's assumption rather than the source's: the framework lists it
// in Defaults, as the built-in framework does for every value it chose.
// An absent weight in a user's own framework is that user's decision
// (equal among siblings), not sceval's, so it is not marked.
func (ind *Indicator) IsDefault(field string) bool {
	return slices.Contains(ind.Defaults, field)
}

// defaultMark is the footnote mark for sceval defaults.
const defaultMark = "*"

const defaultFootnote = "* 默认值，非官方 / sceval default, not official"

func mark(ind *Indicator, field string) string {
	if ind.IsDefault(field) {
		return defaultMark
	}
	return " "
}

func formatWeight(w float64) string { return strconv.FormatFloat(w, 'f', 4, 64) }

// tr picks the Chinese or English variant of a label.
func tr(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// kindLabel names a kind in lang.
func kindLabel(k Kind, lang string) string {
	switch k {
	case Quantitative:
		return tr(lang, "定量", "quantitative")
	case Rubric:
		return tr(lang, "分级评价", "rubric")
	case Expert:
		return tr(lang, "专家评分", "expert")
	}
	return string(k)
}

// levelCounts returns e.g. "4 一级指标 · 11 二级指标 · 57 三级指标", using
// the framework's level names where it has them.
func levelCounts(f *Framework, lang string) string {
	var parts []string
	for i, n := range f.CountByLevel() {
		name := tr(lang, fmt.Sprintf("%d级指标", i+1), fmt.Sprintf("level-%d indicators", i+1))
		if i < len(f.Levels) && !f.Levels[i].IsZero() {
			name = f.Levels[i].In(lang)
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	return strings.Join(parts, " · ")
}

// anyDefault reports whether any indicator has a sceval-default weight or kind.
func anyDefault(rs []row, fields ...string) bool {
	for _, r := range rs {
		for _, field := range fields {
			if r.ind.IsDefault(field) && (field == "weight" || r.ind.IsLeaf()) {
				return true
			}
		}
	}
	return false
}
