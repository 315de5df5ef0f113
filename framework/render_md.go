package framework

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// renderMarkdown writes a document for docs: a title with the framework's
// metadata, one heading per non-leaf indicator (heading depth follows the
// level, capped at Markdown's six) and a table of each run of leaves with
// definitions, kinds and weights.
func renderMarkdown(w io.Writer, f *Framework, lang string) error {
	bw := bufio.NewWriter(w)
	rs := rows(f)
	fmt.Fprintf(bw, "# %s\n\n", mdInline(f.Name.In(lang)))
	fmt.Fprintf(bw, "- id: `%s` · %s: %s\n", f.ID, tr(lang, "版本", "version"), mdInline(f.Version))
	if !f.Source.IsZero() {
		fmt.Fprintf(bw, "- %s: %s\n", tr(lang, "来源", "source"), mdInline(f.Source.In(lang)))
	}
	fmt.Fprintf(bw, "- %s\n", levelCounts(f, lang))
	writeMarkdownNotes(bw, f.Notes.In(lang))
	inTable := false
	for _, r := range rs {
		if !r.ind.IsLeaf() {
			inTable = false
			fmt.Fprintf(bw, "\n%s %s %s\n\n", strings.Repeat("#", min(r.level+1, 6)), r.ind.Code, mdInline(r.ind.Name.In(lang)))
			fmt.Fprintf(bw, "%s: %s%s · %s: %s\n", tr(lang, "权重", "Weight"), formatWeight(r.weight),
				strings.TrimSpace(mark(r.ind, "weight")), tr(lang, "全局权重", "effective weight"), formatWeight(r.effective))
			if def := r.ind.Definition.In(lang); strings.TrimSpace(def) != "" {
				fmt.Fprintf(bw, "\n%s\n", mdInline(def))
			}
			continue
		}
		if !inTable {
			inTable = true
			fmt.Fprintf(bw, "\n| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---:|---:|\n",
				tr(lang, "代码", "Code"), tr(lang, "指标", "Indicator"), tr(lang, "说明", "Definition"),
				tr(lang, "类型", "Kind"), tr(lang, "权重", "Weight"), tr(lang, "全局权重", "Effective"))
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", r.ind.Code, mdCell(r.ind.Name.In(lang)),
			mdCell(r.ind.Definition.In(lang)), mdKind(r.ind, lang),
			formatWeight(r.weight)+strings.TrimSpace(mark(r.ind, "weight")), formatWeight(r.effective))
	}
	if anyDefault(rs, "weight", "kind") {
		fmt.Fprintf(bw, "\n%s\n", strings.Replace(defaultFootnote, "*", `\*`, 1))
	}
	return bw.Flush()
}

// writeMarkdownNotes writes the notes with each line kept as its own
// paragraph (Markdown would join them), and runs of "- " lines as one list.
func writeMarkdownNotes(bw *bufio.Writer, notes string) {
	inList := false
	for _, line := range strings.Split(strings.TrimSpace(notes), "\n") {
		line = strings.TrimRight(line, " ")
		if line == "" {
			continue
		}
		isItem := strings.HasPrefix(line, "- ")
		if !isItem || !inList {
			bw.WriteString("\n")
		}
		inList = isItem
		bw.WriteString(line + "\n")
	}
}

// mdKind describes a leaf's measurement: kind, unit and direction.
func mdKind(ind *Indicator, lang string) string {
	s := kindLabel(ind.Kind, lang) + strings.TrimSpace(mark(ind, "kind"))
	if ind.Unit != "" {
		s += " (" + ind.Unit + ")"
	}
	if ind.Sign() < 0 {
		s += tr(lang, "，逆向", ", lower is better")
	}
	return mdCell(s)
}

// mdInline keeps text on one line; mdCell also escapes the table separator.
func mdInline(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func mdCell(s string) string { return strings.ReplaceAll(mdInline(s), "|", `\|`) }
