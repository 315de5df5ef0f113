package ui

// resultMessages are the strings of the cycle results pages, the public site and the cycle summary.
var resultMessages = map[string][2]string{}
