package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// maxBulkParams bounds the parameters of one multi-row INSERT: below
// SQLite's default SQLITE_MAX_VARIABLE_NUMBER (32766) and PostgreSQL's
// 65535.
const maxBulkParams = 30000

// bulkInsert inserts n rows into table within tx: with COPY on PostgreSQL,
// in multi-row INSERT statements on SQLite. row appends the values of row i (one per column) to args and returns
// it. On SQLite the statements use anonymous "?" parameters: modernc's
// driver looks up every parameter's name, which costs time linear in the
// number of named ($n) parameters, so thousands of $n make binding
// quadratic.
func (s *Store) bulkInsert(ctx context.Context, tx *wtx, table string, cols []string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	if s.dialect == dialectPostgres {
		return copyRows(ctx, tx, table, cols, n, row)
	}
	per := max(1, min(n, maxBulkParams/len(cols), 1000))
	full, err := tx.PrepareContext(ctx, s.insertSQL(table, cols, per))
	if err != nil {
		return fmt.Errorf("prepare insert into %s: %w", table, err)
	}
	defer full.Close()
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if end-start == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.insertSQL(table, cols, end-start), args...)
		}
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// insertSQL returns "INSERT INTO table (cols) VALUES ($1, …), …" for rows
// rows ("?" instead of "$n" on SQLite).
func (s *Store) insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if s.dialect == dialectSQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// copyRows inserts n rows with PostgreSQL's COPY protocol (pgx CopyFrom) on
// the transaction's connection.
func copyRows(ctx context.Context, tx *wtx, table string, cols []string, n int, row func(i int, args []any) []any) error {
	return tx.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: driver connection is %T, not pgx", table, driverConn)
		}
		i := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			args := row(i, make([]any, 0, len(cols)))
			i++
			return pgValues(args), nil
		})
		if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}

// pgValues converts database/sql argument types that pgx's COPY encoder does
// not take (sql.Null*) to plain values or nil, in place.
func pgValues(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case sql.NullFloat64:
			args[i] = nil
			if v.Valid {
				args[i] = v.Float64
			}
		case sql.NullInt64:
			args[i] = nil
			if v.Valid {
				args[i] = v.Int64
			}
		}
	}
	return args
}
