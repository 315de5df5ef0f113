package dataset

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseSimpleDecimal parses the common form of a data cell, an optional
// sign, digits and an optional fraction ("-12.375"), with at most 15
// significant digits and no exponent. ok is false for anything else, which
// the caller hands to strconv.ParseFloat. The result is correctly rounded
// and equal to strconv's: the digits form an integer m < 2^53 and m/10^k
// with k <= 22 is one exactly rounded IEEE division (Clinger's fast path,
// the one strconv itself uses before its general algorithm).
func parseSimpleDecimal(b []byte) (v float64, ok bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		i++
	}
	var m uint64
	digits, frac, dot, seen := 0, 0, false, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			seen = true
			if m == 0 && c == '0' {
				digits-- // leading zeros are not significant
			}
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if !seen || digits > 15 || frac > 22 {
		return 0, false
	}
	v = float64(m) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}
