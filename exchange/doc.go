// Package exchange writes the spreadsheet files sceval exchanges with its
// users: the entries template (per pilot, or bulk for a cycle), which
// platform.Service.ImportEntries reads back, and the exports of a cycle's
// results, of a framework and of a submission (XLSX, CSV with a BOM, JSON,
// Markdown). Every text cell goes through dataset.SafeText against formula
// injection; numbers stay numbers. The rules (who may read what, what an
// import accepts) are the platform's; this package only lays out files.
package exchange
