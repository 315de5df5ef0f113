package framework

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// renderTable writes one row per indicator (code, level, name, kind,
// direction, weight, effective weight) in columns aligned by display width;
// numbers are right-aligned.
func renderTable(w io.Writer, f *Framework, lang string) error {
	rs := rows(f)
	header := []string{tr(lang, "代码", "code"), tr(lang, "层级", "level"), tr(lang, "名称", "name"),
		tr(lang, "类型", "kind"), tr(lang, "方向", "direction"), tr(lang, "权重", "weight"), tr(lang, "全局权重", "effective")}
	rightAligned := []bool{false, true, false, false, true, true, true}
	cells := [][]string{header}
	for _, r := range rs {
		kind, dir := "", ""
		if r.ind.IsLeaf() {
			kind = kindLabel(r.ind.Kind, lang) + strings.TrimSpace(mark(r.ind, "kind"))
			dir = "+1"
			if r.ind.Sign() < 0 {
				dir = "-1"
			}
		}
		cells = append(cells, []string{r.ind.Code, strconv.Itoa(r.level), r.ind.Name.In(lang), kind, dir,
			formatWeight(r.weight) + mark(r.ind, "weight"), formatWeight(r.effective)})
	}
	widths := make([]int, len(header))
	for _, line := range cells {
		for i, c := range line {
			widths[i] = max(widths[i], DisplayWidth(c))
		}
	}
	bw := bufio.NewWriter(w)
	for n, line := range cells {
		writeTableLine(bw, line, widths, rightAligned)
		if n == 0 {
			rule := make([]string, len(widths))
			for i, wd := range widths {
				rule[i] = strings.Repeat("-", wd)
			}
			writeTableLine(bw, rule, widths, rightAligned)
		}
	}
	if anyDefault(rs, "weight", "kind") {
		bw.WriteString("\n" + defaultFootnote + "\n")
	}
	return bw.Flush()
}

func writeTableLine(bw *bufio.Writer, line []string, widths []int, right []bool) {
	parts := make([]string, len(line))
	for i, c := range line {
		if right[i] {
			parts[i] = padLeft(c, widths[i])
		} else {
			parts[i] = padRight(c, widths[i])
		}
	}
	bw.WriteString(strings.TrimRight(strings.Join(parts, "  "), " ") + "\n")
}
