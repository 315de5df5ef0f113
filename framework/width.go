package framework

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// DisplayWidth returns the number of terminal columns s occupies: East Asian
// Wide and Fullwidth characters (Unicode Standard Annex #11), such as Chinese
// characters and the fullwidth punctuation （、）, take two columns; combining
// marks and other zero-width characters none; everything else one.
// Ambiguous-width characters (such as '·' or 'μ') count as one, as in
// Western terminals.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == 0 || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200b' || unicode.Is(unicode.Cc, r):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// padRight pads s with spaces to the given display width.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-DisplayWidth(s)))
}

// padLeft right-aligns s in the given display width.
func padLeft(s string, w int) string {
	return strings.Repeat(" ", max(0, w-DisplayWidth(s))) + s
}
