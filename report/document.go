package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sync"
)

// Assets are the files a self-contained document inlines: the chart
// library, the pages' app.js that draws charts from JSON data blocks, and
// the China map GeoJSON. The web pages own these files (package web/ui
// embeds them; ui.ReportAssets returns them), so documents and pages draw
// the same charts.
type Assets struct {
	ECharts []byte // vendored echarts.min.js
	App     []byte // app.js
	Map     []byte // China provinces GeoJSON (the configured map file)
}

// Document is one printable document: its language ("zh" or "en"), title,
// body (already-rendered HTML) and the document's own stylesheet added to
// the base A4 style.
type Document struct {
	Lang  string
	Title string
	Body  template.HTML
	Style template.CSS
	// Charts is true when the body has charts: the chart library and map
	// are inlined only then (they weigh about 1.2 MB).
	Charts bool
}

// baseStyle is the A4 print layout every document starts from; fonts are
// the system's CJK fonts (fonts-noto-cjk on Debian), never fetched.
const baseStyle = `@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
html { font-size: 10.5pt; }
body { margin: 0; color: #1d2430; line-height: 1.5;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif; }
h1 { font-size: 18pt; margin: 0 0 6pt; } h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #d9dee6; break-after: avoid; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d9dee6; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #f4f6f9; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.chart { width: 100%; height: 260pt; break-inside: avoid; }
.demo-label { border: 1px solid #e0b646; background: #fff4d6; padding: 4pt 8pt; }
.muted { color: #5b6576; }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 12mm; } }
`

// documentTemplate is parsed on first use (see pilotTemplate).
var documentTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("document").Parse(`<!doctype html>
<html lang="{{if eq .Doc.Lang "en"}}en{{else}}zh-CN{{end}}" data-static-charts>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Doc.Title}}</title>
<style>{{.Base}}
{{.Doc.Style}}</style>
</head>
<body>
{{.Doc.Body}}
{{if .Doc.Charts}}<script type="application/json" id="sceval-map-geojson">{{.Map}}</script>
<script>{{.ECharts}}</script>
<script>{{.App}}</script>{{end}}
</body>
</html>
`))
})

// Write renders doc as one self-contained HTML file.
func Write(w io.Writer, doc Document, a Assets) error {
	if doc.Charts && (len(a.ECharts) == 0 || len(a.App) == 0) {
		return fmt.Errorf("report %q has charts but no chart assets", doc.Title)
	}
	// The inlined files are sceval's own vendored code, not user input:
	// they are trusted as they are (template.JS), the map as JSON data —
	// except that none may end its <script> element early (app.js's own
	// comment says "</script>").
	return documentTemplate().Execute(w, map[string]any{
		"Doc": doc, "Base": template.CSS(baseStyle),
		"ECharts": inlineScript(a.ECharts), "App": inlineScript(a.App), "Map": inlineScript(a.Map),
	})
}

// inlineScript makes b safe inside a <script> element: every "</" becomes
// "<\/", which reads the same in JavaScript strings, template literals,
// regular expressions and comments, and in JSON strings, but cannot close
// the element.
func inlineScript(b []byte) template.JS {
	return template.JS(bytes.ReplaceAll(b, []byte("</"), []byte(`<\/`)))
}

// HTML is Write into a byte slice.
func HTML(doc Document, a Assets) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, doc, a); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
