package ui

// entryMessages are the strings of the pilot's data-entry pages (填报).
var entryMessages = map[string][2]string{}
