package framework

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/sceval/sceval/termtable"
)

// renderTree writes an indented tree with box-drawing characters:
//
//	├── 1 保障体系与基础设施          0.2500*  0.2500
//	│   └── 1.1 保障体系              0.3333*  0.0833
//
// with the resolved sibling weight and the effective weight right-aligned
// in two columns after the widest label.
func renderTree(w io.Writer, f *Framework, lang string) error {
	bw := bufio.NewWriter(w)
	rs := rows(f)
	labels := make([]string, len(rs))
	width := termtable.Width(f.Name.In(lang))
	for i, r := range rs {
		labels[i] = treePrefix(r.last) + r.ind.Code + " " + r.ind.Name.In(lang)
		width = max(width, termtable.Width(labels[i]))
	}
	wCol, eCol := tr(lang, "权重", "weight"), tr(lang, "全局权重", "effective")
	numWidth := max(termtable.Width(wCol), termtable.Width(eCol), 7)
	fmt.Fprintf(bw, "%s (%s, %s)\n", f.Name.In(lang), f.ID, f.Version)
	fmt.Fprintf(bw, "%s\n\n", levelCounts(f, lang))
	fmt.Fprintf(bw, "%s  %s   %s\n", termtable.PadRight("", width), termtable.PadLeft(wCol, numWidth), termtable.PadLeft(eCol, numWidth))
	for i, r := range rs {
		fmt.Fprintf(bw, "%s  %s%s  %s\n", termtable.PadRight(labels[i], width),
			termtable.PadLeft(formatWeight(r.weight), numWidth), mark(r.ind, "weight"),
			termtable.PadLeft(formatWeight(r.effective), numWidth))
	}
	if anyDefault(rs, "weight") {
		fmt.Fprintf(bw, "\n%s\n", defaultFootnote)
	}
	return bw.Flush()
}

// treePrefix draws the branch lines for a node whose ancestors' and own
// "last sibling" flags are given, top first.
func treePrefix(last []bool) string {
	var b strings.Builder
	for i, isLast := range last {
		switch {
		case i < len(last)-1 && isLast:
			b.WriteString("    ")
		case i < len(last)-1:
			b.WriteString("│   ")
		case isLast:
			b.WriteString("└── ")
		default:
			b.WriteString("├── ")
		}
	}
	return b.String()
}
