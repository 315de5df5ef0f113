// Package termtable lays out text for terminals: the display width of a
// string (how many columns a terminal gives it) and aligned plain-text
// tables. It is the one place sceval measures text for alignment, so that
// every table and tree the CLI prints lines up the same way with Chinese
// text in it.
package termtable

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Width returns the number of terminal columns s occupies, after Unicode
// Standard Annex #11 (East Asian Width) as terminals apply it (the rules of
// Markus Kuhn's wcwidth):
//
//   - East Asian Wide (W) and Fullwidth (F) characters take two columns:
//     汉字, kana, Hangul syllables, fullwidth forms such as （、）and Ａ;
//   - combining marks (Mn, Me), format characters (Cf, such as the
//     zero-width space and joiner, except the soft hyphen), control
//     characters and Hangul Jamo medial vowels and final consonants
//     (U+1160–U+11FF, which join the preceding initial) take none;
//   - everything else takes one, including Ambiguous characters such as
//     '·', 'μ' and box drawing, as in Western and most Chinese terminals.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// RuneWidth is Width for one rune.
func RuneWidth(r rune) int {
	if r < 0x7f {
		if r < 0x20 {
			return 0
		}
		return 1 // printable ASCII, the common case
	}
	switch {
	case r >= 0x1160 && r <= 0x11FF:
		return 0
	case r == 0xAD: // soft hyphen: shown as a hyphen where a line breaks
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Cc):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// PadRight left-aligns s in w columns, padding with spaces on the right.
func PadRight(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-Width(s)))
}

// PadLeft right-aligns s in w columns, padding with spaces on the left.
func PadLeft(s string, w int) string {
	return strings.Repeat(" ", max(0, w-Width(s))) + s
}
