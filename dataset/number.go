package dataset

import (
	"math"
	"strconv"
)

// Decimals is the number of decimal places written for scores, coverage
// and contributions in every output format except XLSX (which stores full
// float64 precision). Six places are far below any meaningful difference
// on the 0–100 scale and keep outputs short and stable across platforms.
const Decimals = 6

// fixedLimit bounds the values written by the integer fast path:
// |v|·10^Decimals must fit an int64 with room to spare.
const fixedLimit = 1e12

// AppendNumber appends v rounded to Decimals places (half away from zero),
// in plain decimal notation without trailing zeros or exponent: 73.5,
// 100, 0.333333, -1.25. NaN appends nothing (a missing value is an empty
// field). Values of magnitude 10^12 or more use strconv's shortest 'g'
// form. It allocates nothing, which matters when writing millions of rows.
func AppendNumber(dst []byte, v float64) []byte {
	if v != v {
		return dst
	}
	a := math.Abs(v)
	if !(a < fixedLimit) { // also infinities
		return strconv.AppendFloat(dst, v, 'g', -1, 64)
	}
	n := uint64(math.Round(a * 1e6))
	if n == 0 {
		return append(dst, '0') // no "-0"
	}
	if v < 0 {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, n/1e6, 10)
	frac := n % 1e6
	if frac == 0 {
		return dst
	}
	p1, p2, p3 := frac/10000*2, frac/100%100*2, frac%100*2
	dst = append(dst, '.', digitPairs[p1], digitPairs[p1+1], digitPairs[p2], digitPairs[p2+1], digitPairs[p3], digitPairs[p3+1])
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// digitPairs holds "00" to "99" for formatting two digits at a time.
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// FormatNumber is AppendNumber returning a string ("" for NaN).
func FormatNumber(v float64) string { return string(AppendNumber(nil, v)) }
