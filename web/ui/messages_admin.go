package ui

// adminMessages are the strings of the administration and account pages.
var adminMessages = map[string][2]string{}
