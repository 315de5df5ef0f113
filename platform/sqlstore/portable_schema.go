package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// tables lists the database's tables (but the skipped ones) with their
// columns and primary keys, parents before the tables whose foreign keys
// name them (ties by name), as the portable export writes and reads them.
func (s *Store) tables(ctx context.Context, q rowsQueryer) ([]tableInfo, error) {
	names, err := queryStrings(ctx, q, s.tableNamesQuery())
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	byName := map[string]*tableInfo{}
	for _, n := range names {
		if skippedTables[n] {
			continue
		}
		t := &tableInfo{name: n}
		if t.columns, t.key, err = s.columns(ctx, q, n); err != nil {
			return nil, err
		}
		byName[n] = t
	}
	parents, err := s.foreignKeys(ctx, q)
	if err != nil {
		return nil, err
	}
	return orderTables(byName, parents)
}

// tableNamesQuery lists the user tables of the store's database (on
// PostgreSQL, of the schema first on the search path).
func (s *Store) tableNamesQuery() string {
	if s.dialect == dialectPostgres {
		return `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
}

// columns returns a table's columns sorted by name with their portable
// types, and its primary-key columns in key order.
func (s *Store) columns(ctx context.Context, q rowsQueryer, table string) ([]PortableColumn, []string, error) {
	var query string
	var args []any
	if s.dialect == dialectPostgres {
		query = `SELECT c.column_name, c.data_type,
				COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k
					JOIN information_schema.table_constraints tc ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema
					WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name), 0)
			FROM information_schema.columns c WHERE c.table_schema = current_schema() AND c.table_name = $1`
		args = []any{table}
	} else {
		query = `SELECT name, type, pk FROM pragma_table_info(` + sqlString(table) + `)`
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []PortableColumn
	keyPos := map[string]int{}
	for rows.Next() {
		var name, decl string
		var pk int
		if err := rows.Scan(&name, &decl, &pk); err != nil {
			return nil, nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		typ, ok := portableType(decl)
		if !ok {
			return nil, nil, fmt.Errorf("table %s column %s: type %s has no portable form", table, name, decl)
		}
		cols = append(cols, PortableColumn{Name: name, Type: typ})
		if pk > 0 {
			keyPos[name] = pk
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	slices.SortFunc(cols, func(a, b PortableColumn) int { return strings.Compare(a.Name, b.Name) })
	var key []string
	for n := range keyPos {
		key = append(key, n)
	}
	slices.SortFunc(key, func(a, b string) int { return keyPos[a] - keyPos[b] })
	return cols, key, nil
}

// portableType maps a declared column type of either dialect to its
// portable type.
func portableType(decl string) (string, bool) {
	d := strings.ToLower(decl)
	switch {
	case strings.Contains(d, "int"):
		return colInt, true
	case strings.Contains(d, "real"), strings.Contains(d, "double"), strings.Contains(d, "float"):
		return colFloat, true
	case strings.Contains(d, "text"), strings.Contains(d, "char"):
		return colText, true
	case strings.Contains(d, "blob"), d == "bytea":
		return colBytes, true
	}
	return "", false
}

// foreignKeys returns, per table, the tables its foreign keys name.
func (s *Store) foreignKeys(ctx context.Context, q rowsQueryer) (map[string][]string, error) {
	query := `SELECT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table'`
	if s.dialect == dialectPostgres {
		query = `SELECT cl.relname, ref.relname FROM pg_constraint c
			JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class ref ON ref.oid = c.confrelid
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return nil, fmt.Errorf("list foreign keys: %w", err)
		}
		out[child] = append(out[child], parent)
	}
	return out, rows.Err()
}

// orderTables sorts tables so that every table comes after the tables it
// references (Kahn's algorithm), taking among the ready ones the one created
// first in the migration history (then by name). The creation order is
// itself an order that satisfies every foreign key, and it is the same in
// both dialects even where their keys differ (PostgreSQL drops two of
// result_pilots'), so both export their tables in the same order. A
// self-reference is ignored: rows are written in key order.
func orderTables(byName map[string]*tableInfo, parents map[string][]string) ([]tableInfo, error) {
	created := creationOrder()
	rank := func(n string) int {
		if i, ok := created[n]; ok {
			return i
		}
		return len(created)
	}
	waiting := map[string]map[string]bool{}
	for n := range byName {
		waiting[n] = map[string]bool{}
		for _, p := range parents[n] {
			if p != n && byName[p] != nil {
				waiting[n][p] = true
			}
		}
	}
	var out []tableInfo
	for len(waiting) > 0 {
		var ready []string
		for n, ps := range waiting {
			if len(ps) == 0 {
				ready = append(ready, n)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("tables reference each other in a cycle: %v", waiting)
		}
		next := slices.MinFunc(ready, func(a, b string) int {
			if ra, rb := rank(a), rank(b); ra != rb {
				return ra - rb
			}
			return strings.Compare(a, b)
		})
		out = append(out, *byName[next])
		delete(waiting, next)
		for _, ps := range waiting {
			delete(ps, next)
		}
	}
	return out, nil
}

// createTable finds the tables a migration creates.
var createTable = regexp.MustCompile(`(?i)\bCREATE TABLE (?:IF NOT EXISTS )?"?([A-Za-z_][A-Za-z0-9_]*)`)

// creationOrder numbers the tables in the order the migration history
// first creates them.
func creationOrder() map[string]int {
	out := map[string]int{}
	ms, _ := migrations()
	for _, m := range ms {
		for _, sub := range createTable.FindAllStringSubmatch(m.sql, -1) {
			if _, ok := out[sub[1]]; !ok {
				out[sub[1]] = len(out)
			}
		}
	}
	return out
}

// queryStrings runs a query of one text column.
func queryStrings(ctx context.Context, q rowsQueryer, query string) ([]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// sqlString quotes a string literal (for SQLite's table-valued pragmas,
// which take no parameters in every context).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
