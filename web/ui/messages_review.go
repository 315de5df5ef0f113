package ui

// reviewMessages are the strings of the province's and ministry's review queues and the expert's scoring pages.
var reviewMessages = map[string][2]string{}
