package sqlstore

import (
	"strconv"
	"strings"
)

// where builds a WHERE clause with numbered parameters: each "$?" in a
// condition becomes the next $n.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose "$?" placeholders take args in order.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "$?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// eq adds "column = value" unless value is the zero value.
func (w *where) eq(column string, value any) {
	switch v := value.(type) {
	case string:
		if v == "" {
			return
		}
	case int:
		if v == 0 {
			return
		}
	case int64:
		if v == 0 {
			return
		}
	}
	w.add(column+" = $?", value)
}

// sql returns " WHERE …" or "".
func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// page appends LIMIT and OFFSET parameters and returns their clause.
func (w *where) page(limit, offset int) string {
	w.args = append(w.args, limit, offset)
	n := len(w.args)
	return " LIMIT $" + strconv.Itoa(n-1) + " OFFSET $" + strconv.Itoa(n)
}

// likeEscape escapes LIKE wildcards with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
