package report

// PilotTestScorecard is testScorecard for the external tests (which may
// import web/ui for the chart assets; this package's own tests may not).
var PilotTestScorecard = testScorecard
