package weight

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrJudgement is wrapped by every error of ParseJudgement.
var ErrJudgement = errors.New("not a pairwise judgement")

// ParseJudgement parses one entry of a pairwise comparison matrix as a
// person writes it, in a matrix file or a scheme: a plain decimal ("3",
// "0.5", "0.3333") or a fraction of two plain decimals ("1/3", "1 / 7").
// Go literals that strconv would accept ("0x1p2", "1_0", "Inf", "NaN") are
// not judgements. It does not check the value's range (see
// ValidatePairwise).
func ParseJudgement(text string) (float64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("%w: empty (every entry of the matrix is needed)", ErrJudgement)
	}
	if num, den, ok := strings.Cut(text, "/"); ok {
		a, okA := plainNumber(num)
		b, okB := plainNumber(den)
		if !okA || !okB {
			return 0, fmt.Errorf("%w: %q is not a number or fraction such as 1/3", ErrJudgement, text)
		}
		if b == 0 {
			return 0, fmt.Errorf("%w: %q divides by zero", ErrJudgement, text)
		}
		return a / b, nil
	}
	v, ok := plainNumber(text)
	if !ok {
		return 0, fmt.Errorf("%w: %q is not a number or fraction such as 1/3", ErrJudgement, text)
	}
	return v, nil
}

// plainNumber parses a finite decimal made only of digits, sign, point and
// exponent.
func plainNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return !('0' <= r && r <= '9' || r == '.' || r == '+' || r == '-' || r == 'e' || r == 'E')
	}) >= 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// ReciprocalTolerance is the relative tolerance within which a lower-
// triangle entry a_ji is accepted as the reciprocal of a_ij:
// |a_ij·a_ji − 1| ≤ 0.05. It admits reciprocals typed as decimals rounded
// to two places (the worst case on Saaty's 1–9 scale is 1/8 typed 0.13,
// off by 4 %) and refuses judgements that disagree (3 against 1/2 is off
// by 50 %).
const ReciprocalTolerance = 0.05

// Adjustment records one lower-triangle entry that ReciprocalMatrix
// replaced by the exact reciprocal of the upper-triangle entry. Row and
// Col are 1-based positions of the replaced entry.
type Adjustment struct {
	Row, Col   int
	Given, Now float64
}

// String words the adjustment: "a[2][1] = 0.3333 taken as 1/3".
func (a Adjustment) String() string {
	return fmt.Sprintf("a[%d][%d] = %s taken as %s", a.Row, a.Col, strconv.FormatFloat(a.Given, 'g', -1, 64), fraction(a.Now))
}

// fraction writes v as "1/k" when it is the reciprocal of a whole number,
// else as a decimal.
func fraction(v float64) string {
	if v > 0 && v < 1 {
		if k := math.Round(1 / v); math.Abs(k*v-1) < 1e-12 {
			return "1/" + strconv.FormatFloat(k, 'f', -1, 64)
		}
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// ReciprocalMatrix checks a pairwise comparison matrix as a person typed
// it and returns the exact positive reciprocal matrix to weight: square,
// entries positive and finite, a_ii = 1, and each lower-triangle entry
// within ReciprocalTolerance of the reciprocal of the upper-triangle entry
// above it, which then replaces it (a_ji := 1/a_ij; the upper triangle is
// taken as the judgements, the lower as their typed reciprocals). Entries
// replaced by more than rounding (1e-9) are listed, so the caller can warn.
// codes (optional) name rows and columns in the *MatrixError it returns.
// m is not modified.
func ReciprocalMatrix(m [][]float64, codes []string) ([][]float64, []Adjustment, error) {
	if err := checkEntries(m, codes); err != nil {
		return nil, nil, err
	}
	n := len(m)
	out := make([][]float64, n)
	for i := range m {
		out[i] = append([]float64(nil), m[i]...)
	}
	var adj []Adjustment
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p := m[i][j] * m[j][i]
			if math.Abs(p-1) > ReciprocalTolerance {
				return nil, nil, matrixError(codes, i, j, "not reciprocal: a[%d][%d] = %v but a[%d][%d] = %v (product %.4g; the entries below the diagonal must be the reciprocals of those above, within %g %%)",
					i+1, j+1, m[i][j], j+1, i+1, m[j][i], p, ReciprocalTolerance*100)
			}
			out[j][i] = 1 / m[i][j]
			if math.Abs(p-1) > 1e-9 {
				adj = append(adj, Adjustment{Row: j + 1, Col: i + 1, Given: m[j][i], Now: out[j][i]})
			}
		}
	}
	return out, adj, nil
}

// checkEntries checks everything ValidatePairwise checks except
// reciprocity: n ≥ 1, square, positive finite entries, unit diagonal.
func checkEntries(m [][]float64, codes []string) error {
	n := len(m)
	if n < 1 {
		return &MatrixError{Msg: "empty pairwise comparison matrix"}
	}
	if err := SquareError(m); err != nil {
		return err
	}
	if codes != nil && len(codes) != n {
		return &MatrixError{Msg: fmt.Sprintf("%d codes for a %d×%d matrix", len(codes), n, n)}
	}
	for i, row := range m {
		for j, v := range row {
			if !(v > 0) || math.IsInf(v, 0) {
				return matrixError(codes, i, j, "entry %v is not a positive finite number", v)
			}
		}
	}
	for i := range m {
		if m[i][i] != 1 {
			return matrixError(codes, i, i, "diagonal entry %v, want 1 (an indicator compared with itself)", m[i][i])
		}
	}
	return nil
}

// SquareError returns a *MatrixError when m is not square: "not square
// (2×3)" when its rows have one length, else naming the first row whose
// length differs from the number of rows.
func SquareError(m [][]float64) error {
	n := len(m)
	uniform := true
	for _, row := range m {
		uniform = uniform && len(row) == len(m[0])
	}
	if uniform && n > 0 && len(m[0]) != n {
		return &MatrixError{Msg: fmt.Sprintf("not square (%d×%d): a pairwise comparison matrix has one row and one column per indicator", n, len(m[0]))}
	}
	for i, row := range m {
		if len(row) != n {
			return &MatrixError{Msg: fmt.Sprintf("not square: row %d has %d entries, but the matrix has %d rows", i+1, len(row), n)}
		}
	}
	return nil
}

// matrixError builds a *MatrixError about entry (i, j), 0-based.
func matrixError(codes []string, i, j int, msg string, args ...any) *MatrixError {
	e := &MatrixError{Row: i + 1, Col: j + 1, Msg: fmt.Sprintf(msg, args...)}
	if codes != nil {
		e.RowCode, e.ColCode = codes[i], codes[j]
	}
	return e
}
