package dataset

// Formula injection ("CSV injection", OWASP): a spreadsheet opening a CSV
// file, or a user re-typing an XLSX text cell, takes a cell that starts
// with =, +, -, @, a tab or a carriage return for a formula. Every text
// cell sceval writes into a CSV or XLSX file passes through SafeText, which
// prefixes such a cell with an apostrophe — the OWASP recommendation —,
// so that it stays text; numbers are written as numbers and are never
// escaped. UnescapeText undoes it on import, so an exported text reads
// back as it was stored.

// formulaStart reports whether a cell beginning with c is taken for a
// formula.
func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// escaped reports whether s is an escaped cell: an apostrophe before a
// formula start, or before another escaped cell.
func escaped(s string) bool {
	for len(s) > 1 && s[0] == '\'' {
		if formulaStart(s[1]) {
			return true
		}
		s = s[1:]
	}
	return false
}

// SafeText returns s ready for a text cell: with an apostrophe in front
// when it starts like a formula (or is already such an escaped text, so
// that UnescapeText gives s back exactly).
func SafeText(s string) string {
	if s != "" && (formulaStart(s[0]) || escaped(s)) {
		return "'" + s
	}
	return s
}

// UnescapeText reverses SafeText.
func UnescapeText(s string) string {
	if s != "" && (s[0] == '\'' && escaped(s)) {
		return s[1:]
	}
	return s
}
