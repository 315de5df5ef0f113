package ui

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// reviewGroup is the leaves under one second-level indicator (or directly
// under a first-level one), headed by both, in framework order: how the
// review and scoring pages lay out a submission.
type reviewGroup struct {
	// Top is the first-level indicator; NewTop marks the first group under
	// it (the page opens a section there).
	Top    indicatorText
	NewTop bool
	// Sub is the second-level indicator; empty when the leaves hang
	// directly under Top.
	Sub    indicatorText
	Leaves []reviewLeaf
}

// indicatorText is an indicator's code, name and definition in the page's
// language.
type indicatorText struct {
	Code, Name, Definition string
}

// reviewLeaf is one leaf indicator with the pilot's entry (nil when the
// pilot left it empty).
type reviewLeaf struct {
	indicatorText
	Unit  string
	Kind  string
	Entry *platform.Entry
	// Level is the chosen rubric level ("3 · 推进"), LevelText its
	// description.
	Level, LevelText string
	// Rubric are the leaf's levels (for the expert's form).
	Rubric []rubricChoice
	// Value is the entry's value with its unit ("" when none).
	Value    string
	Evidence []evidenceLink
	// L is the page's catalogue, for the shared partial that shows the
	// entry (_review_entry.html).
	L catalogue
}

// evidenceLink is one evidence file as a page links it.
type evidenceLink struct {
	ID   int64
	Name string
	// Href shows the file (inline for images and PDF); Download saves it.
	Href, Download string
	// Preview is "image", "pdf" or "" (download only).
	Preview     string
	ContentType string
	Size        string
	// PreviewURL shows the page again with this PDF open in an <object>
	// (Open): PDFs load only when asked for, not 57 at a time.
	PreviewURL string
	Open       bool
}

// evidenceURL is the path that serves evidence file ev on a page.
type evidenceURL func(ev platform.Evidence) string

// rubricChoice is one rubric level offered on a form.
type rubricChoice struct {
	N                  int
	Label, Description string
	Score              float64
}

func textOf(ind *framework.Indicator, lang string) indicatorText {
	return indicatorText{Code: ind.Code, Name: ind.Name.In(lang), Definition: ind.Definition.In(lang)}
}

// reviewGroups lays out fw's leaves with the submission's entries. A nil
// framework (it could not be loaded) lists the entries by code alone.
func reviewGroups(fw *framework.Framework, entries []platform.Entry, lang string, url evidenceURL) []reviewGroup {
	byCode := make(map[string]*platform.Entry, len(entries))
	for i := range entries {
		byCode[entries[i].Code] = &entries[i]
	}
	if fw == nil {
		g := reviewGroup{NewTop: true}
		for i := range entries {
			l := reviewLeaf{indicatorText: indicatorText{Code: entries[i].Code}, Entry: &entries[i], L: catalogue{lang: lang}}
			l.addEntry(&entries[i], url)
			g.Leaves = append(g.Leaves, l)
		}
		return []reviewGroup{g}
	}
	var out []reviewGroup
	for _, top := range fw.Indicators {
		first := len(out)
		var direct []reviewLeaf
		for _, child := range top.Children {
			if child.IsLeaf() {
				direct = append(direct, leafOf(child, byCode[child.Code], lang, url))
				continue
			}
			g := reviewGroup{Top: textOf(top, lang), Sub: textOf(child, lang)}
			for _, leaf := range leavesUnder(child) {
				g.Leaves = append(g.Leaves, leafOf(leaf, byCode[leaf.Code], lang, url))
			}
			out = append(out, g)
		}
		if top.IsLeaf() {
			direct = append(direct, leafOf(top, byCode[top.Code], lang, url))
		}
		if len(direct) > 0 {
			out = append(out[:first], append([]reviewGroup{{Top: textOf(top, lang), Leaves: direct}}, out[first:]...)...)
		}
		if len(out) > first {
			out[first].NewTop = true
		}
	}
	return out
}

// leavesUnder returns the leaves below ind, depth first.
func leavesUnder(ind *framework.Indicator) []*framework.Indicator {
	if ind.IsLeaf() {
		return []*framework.Indicator{ind}
	}
	var out []*framework.Indicator
	for _, c := range ind.Children {
		out = append(out, leavesUnder(c)...)
	}
	return out
}

// leafOf is one leaf with its entry.
func leafOf(ind *framework.Indicator, e *platform.Entry, lang string, url evidenceURL) reviewLeaf {
	l := reviewLeaf{indicatorText: textOf(ind, lang), Unit: ind.Unit, Kind: string(ind.Kind), Entry: e, L: catalogue{lang: lang}}
	l.addEntry(e, url)
	for i, r := range ind.Rubric {
		l.Rubric = append(l.Rubric, rubricChoice{N: i + 1, Label: r.Label.In(lang), Description: r.Description.In(lang), Score: r.Score})
	}
	if e != nil && e.Level != nil && *e.Level >= 1 && *e.Level <= len(ind.Rubric) {
		r := ind.Rubric[*e.Level-1]
		l.Level = strings.TrimSpace(fmt.Sprintf("%d · %s", *e.Level, r.Label.In(lang)))
		l.LevelText = r.Description.In(lang)
	}
	return l
}

// addEntry fills the value and evidence links of entry e (nil: none).
func (l *reviewLeaf) addEntry(e *platform.Entry, url evidenceURL) {
	if e == nil {
		return
	}
	unit := e.Unit
	if unit == "" {
		unit = l.Unit
	}
	l.Value = formatValue(e.Value, unit)
	for _, ev := range e.Evidence {
		if ev.DeletedAt != nil {
			continue
		}
		href := url(ev)
		l.Evidence = append(l.Evidence, evidenceLink{ID: ev.ID, Name: cmp.Or(ev.OriginalName, ev.Filename), Href: href, Download: href + "?download=1",
			Preview: previewKind(ev.ContentType), ContentType: ev.ContentType, Size: formatSize(ev.Size)})
	}
}

// markPreview links every PDF of groups to the page at path with it open,
// and opens the one whose ID is open.
func markPreview(groups []reviewGroup, path string, open int64) {
	for _, g := range groups {
		for i := range g.Leaves {
			for j := range g.Leaves[i].Evidence {
				ev := &g.Leaves[i].Evidence[j]
				if ev.Preview != "pdf" {
					continue
				}
				ev.PreviewURL = fmt.Sprintf("%s?preview=%d#leaf-%s", path, ev.ID, g.Leaves[i].Code)
				ev.Open = ev.ID == open
			}
		}
	}
}

// previewParam reads ?preview, the evidence to show open.
func previewParam(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.URL.Query().Get("preview"), 10, 64)
	return id
}

// formatSize shows a file size in KB or MB.
func formatSize(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.0f KB", math.Ceil(float64(n)/1024))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// previewKind says how a page shows an evidence file: "image" inline,
// "pdf" in an <object>, anything else as a download link.
func previewKind(contentType string) string {
	switch contentType {
	case platform.TypePNG, platform.TypeJPEG, platform.TypeGIF, platform.TypeWebP:
		return "image"
	case platform.TypePDF:
		return "pdf"
	}
	return ""
}

// formatValue shows an entry's value with its unit.
func formatValue(v *float64, unit string) string {
	if v == nil {
		return ""
	}
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", *v), "0"), ".")
	if unit != "" {
		s += " " + unit
	}
	return s
}
