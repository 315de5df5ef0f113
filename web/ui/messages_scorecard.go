package ui

// scorecardMessages are the strings of the pilot scorecard page and report.
var scorecardMessages = map[string][2]string{}
