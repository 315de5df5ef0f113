package dataset

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
)

// parseValue parses an indicator cell. An empty cell is missing (NaN); a
// message explains any other cell that is not a finite number.
func parseValue(cell []byte) (float64, string) {
	cell = bytes.TrimSpace(cell)
	if len(cell) == 0 {
		return math.NaN(), ""
	}
	if v, ok := parseSimpleDecimal(cell); ok {
		return v, ""
	}
	v, err := strconv.ParseFloat(string(cell), 64)
	if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) && !plainDecimal(cell) {
		// strconv also reads Go literals (1_000, 0x1p4): not plain decimals.
		err = strconv.ErrSyntax
	}
	switch {
	case errors.Is(err, strconv.ErrRange):
		return math.NaN(), strconv.Quote(string(cell)) + " is out of the range of float64"
	case err != nil:
		return math.NaN(), strconv.Quote(string(cell)) + " is not a number (" + notNumberHint(cell) + ")"
	case math.IsNaN(v) || math.IsInf(v, 0):
		return math.NaN(), strconv.Quote(string(cell)) + " is not allowed: values must be finite (leave the cell empty for a missing value)"
	}
	return v, ""
}

// plainDecimal reports whether cell holds only the characters of a plain
// decimal number: digits, sign, point and exponent.
func plainDecimal(cell []byte) bool {
	for _, c := range cell {
		if !('0' <= c && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

// notNumberHint explains the usual reasons a cell that looks numeric is not
// read as a number: full-width characters typed with a Chinese input method,
// a decimal comma, a thousands separator.
func notNumberHint(cell []byte) string {
	s := string(cell)
	if num, ok := strings.CutSuffix(strings.TrimSpace(halfWidth(s)), "%"); ok {
		if v, err := strconv.ParseFloat(strings.TrimSpace(num), 64); err == nil && plainDecimal([]byte(strings.TrimSpace(num))) {
			return "no % sign: write " + strings.TrimSpace(num) + " or " + strconv.FormatFloat(v/100, 'f', -1, 64) + ", as the indicator's unit says"
		}
	}
	if half := halfWidth(s); half != s {
		if _, err := strconv.ParseFloat(half, 64); err == nil && plainDecimal([]byte(half)) {
			return "it has full-width characters: type " + half + " with half-width digits"
		}
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		if _, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
			return "the decimal separator is a point, and a number has no thousands separators: write " +
				strings.Replace(s, ",", ".", 1) + " or " + strings.Replace(s, ",", "", 1)
		}
	}
	if strings.ContainsAny(s, ",_ ") {
		return "write plain digits, without thousands separators"
	}
	return "leave the cell empty for a missing value"
}

// halfWidth maps full-width ASCII variants (U+FF01–U+FF5E, e.g. "１２．５")
// and the ideographic space to their ASCII forms.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}
