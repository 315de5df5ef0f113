package sqlstore

import (
	"context"
	"fmt"
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

// listQuery is one list endpoint's query: the table, its columns, the
// filter, the order and the page.
type listQuery struct {
	table, columns, order string
	w                     where
	limit, offset         int
}

// listPage counts the rows of q's table that match its filter and returns
// the requested page of them, scanned by scan. Every list endpoint
// ({"items":[…],"total":N}) goes through it.
func listPage[T any](ctx context.Context, s *Store, q listQuery, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	var total int
	count := `SELECT COUNT(*) FROM ` + q.table + q.w.sql()
	if err := s.rdb.QueryRowContext(ctx, count, q.w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", q.table, err)
	}
	query := `SELECT ` + q.columns + ` FROM ` + q.table + q.w.sql() + ` ORDER BY ` + q.order + q.w.page(q.limit, q.offset)
	rows, err := s.rdb.QueryContext(ctx, query, q.w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", q.table, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list %s: %w", q.table, err)
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}
