// Package report renders sceval's printable documents — the pilot scorecard
// and the cycle summary — as self-contained HTML (A4, print-ready, every
// style, script and map inlined so the file opens anywhere without a
// network) and as PDF through a headless Chromium (chromedp).
//
// The documents reuse the pages' chart code: a chart is a JSON data block
// drawn by the same app.js and vendored ECharts as the web pages, inlined
// (Assets). Building a document needs no I/O; only PDF starts a browser.
package report
