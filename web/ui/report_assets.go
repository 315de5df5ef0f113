package ui

import "github.com/sceval/sceval/report"

// ReportAssets are the chart files the printable reports inline: the same
// vendored ECharts, app.js and China map the pages use, so a report's
// charts are drawn exactly as on screen.
func ReportAssets() report.Assets {
	read := func(name string) []byte {
		b, err := assets.ReadFile("static/" + name)
		if err != nil { // embedded: cannot happen
			panic(err)
		}
		return b
	}
	return report.Assets{ECharts: read("vendor/echarts.min.js"), App: read("app.js"), Map: read("vendor/china.json")}
}
