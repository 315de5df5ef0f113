package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
)

// ImportAll loads a portable export (ExportAll, from either database) into
// this store, which must be migrated to the export's schema version and
// empty: no rows in any table but the migration record and the audit
// chains' empty heads. Everything goes in one transaction: a broken or
// truncated file leaves the database as it was. Identity sequences are
// moved past the imported ids (PostgreSQL), so new rows get new ids. The
// import is not itself audited: the restored trail is the exported one,
// which verifies as before.
func (s *Store) ImportAll(ctx context.Context, r io.Reader) (PortableStats, error) {
	stats := PortableStats{Tables: map[string]int{}}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	head, err := readPortableHeader(dec)
	if err != nil {
		return stats, err
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return stats, fmt.Errorf("import: connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("import: begin: %w", err)
	}
	defer tx.Rollback()
	version, err := schemaVersionIn(ctx, tx)
	if err != nil {
		return stats, err
	}
	if version != head.SchemaVersion {
		return stats, platform.Errorf(platform.Conflict, platform.CodeBadValue,
			"the export has schema version %d, this database %d: import with the sceval that wrote it (or restore a backup, which migrates)", head.SchemaVersion, version)
	}
	tables, err := s.tables(ctx, tx)
	if err != nil {
		return stats, err
	}
	if err := requireEmpty(ctx, tx, tables); err != nil {
		return stats, err
	}
	if err := s.importTables(ctx, tx, dec, tables, &stats); err != nil {
		return stats, err
	}
	if err := s.resetSequences(ctx, tx, tables); err != nil {
		return stats, err
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("import: commit: %w", err)
	}
	return stats, nil
}

// readPortableHeader reads the export up to its table list: the header,
// checked, and the opening of "tables".
func readPortableHeader(dec *json.Decoder) (PortableHeader, error) {
	var head PortableHeader
	if err := expectDelim(dec, '{'); err != nil {
		return head, fmt.Errorf("not a %s file: %w", PortableFormat, err)
	}
	if err := expectKey(dec, "header"); err != nil {
		return head, fmt.Errorf("not a %s file: %w", PortableFormat, err)
	}
	if err := dec.Decode(&head); err != nil {
		return head, fmt.Errorf("export header: %w", err)
	}
	if head.Format != PortableFormat {
		return head, fmt.Errorf("export header: format %q, want %q", head.Format, PortableFormat)
	}
	if head.Version != portableVersion {
		return head, fmt.Errorf("export header: layout version %d, this sceval reads %d", head.Version, portableVersion)
	}
	if err := expectKey(dec, "tables"); err != nil {
		return head, err
	}
	return head, expectDelim(dec, '[')
}

// requireEmpty refuses a database holding anything: an import adds to
// nothing, so that ids and audit chains stay the exported ones.
func requireEmpty(ctx context.Context, tx *sql.Tx, tables []tableInfo) error {
	for _, t := range tables {
		query := `SELECT COUNT(*) FROM ` + quoteIdent(t.name)
		if t.name == "audit_head" {
			query += ` WHERE seq <> 0`
		}
		var n int64
		if err := tx.QueryRowContext(ctx, query).Scan(&n); err != nil {
			return fmt.Errorf("import: count %s: %w", t.name, err)
		}
		if n > 0 {
			return platform.Errorf(platform.Conflict, platform.CodeBadValue,
				"the database is not empty (table %s has %d rows): import into a new database", t.name, n)
		}
	}
	// The migration seeds one empty head per chain; the export has them all.
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_head`); err != nil {
		return fmt.Errorf("import: clear audit heads: %w", err)
	}
	return nil
}

// importTables reads every table of the export and inserts its rows; each
// table of the database must appear, with the same columns.
func (s *Store) importTables(ctx context.Context, tx *sql.Tx, dec *json.Decoder, tables []tableInfo, stats *PortableStats) error {
	want := map[string]tableInfo{}
	for _, t := range tables {
		want[t.name] = t
	}
	for dec.More() {
		if err := expectDelim(dec, '{'); err != nil {
			return fmt.Errorf("export table %d: %w", len(stats.Tables)+1, err)
		}
		var name string
		var cols []PortableColumn
		if err := expectKey(dec, "name"); err != nil {
			return err
		}
		if err := dec.Decode(&name); err != nil {
			return fmt.Errorf("export table %d: name: %w", len(stats.Tables)+1, err)
		}
		t, ok := want[name]
		if !ok {
			return fmt.Errorf("export table %s: no such table in this database", name)
		}
		if err := expectKey(dec, "columns"); err != nil {
			return fmt.Errorf("export table %s: %w", name, err)
		}
		if err := dec.Decode(&cols); err != nil {
			return fmt.Errorf("export table %s: columns: %w", name, err)
		}
		if !slices.Equal(cols, t.columns) {
			return fmt.Errorf("export table %s: columns %v differ from the database's %v", name, cols, t.columns)
		}
		n, err := s.importRows(ctx, tx, dec, t)
		if err != nil {
			return err
		}
		if err := expectDelim(dec, '}'); err != nil {
			return fmt.Errorf("export table %s: %w", name, err)
		}
		stats.Tables[name] = n
		stats.Rows += n
		delete(want, name)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return err
	}
	if len(want) > 0 {
		var missing []string
		for n := range want {
			missing = append(missing, n)
		}
		slices.Sort(missing)
		return fmt.Errorf("export lacks tables %s (truncated file?)", strings.Join(missing, ", "))
	}
	return nil
}

// importRows reads a table's "rows" array and inserts them in batches.
func (s *Store) importRows(ctx context.Context, tx *sql.Tx, dec *json.Decoder, t tableInfo) (int, error) {
	if err := expectKey(dec, "rows"); err != nil {
		return 0, fmt.Errorf("export table %s: %w", t.name, err)
	}
	if err := expectDelim(dec, '['); err != nil {
		return 0, fmt.Errorf("export table %s rows: %w", t.name, err)
	}
	per := max(1, min(500, 30000/len(t.columns)))
	var batch []any
	flush := func(rows int) error {
		if rows == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, s.insertStatement(t, rows), batch...)
		batch = batch[:0]
		return err
	}
	n, pending := 0, 0
	for dec.More() {
		var raw []any
		if err := dec.Decode(&raw); err != nil {
			return n, fmt.Errorf("export table %s row %d: %w", t.name, n+1, err)
		}
		if len(raw) != len(t.columns) {
			return n, fmt.Errorf("export table %s row %d: %d values for %d columns", t.name, n+1, len(raw), len(t.columns))
		}
		for i, v := range raw {
			val, err := fromPortable(t.columns[i].Type, v)
			if err != nil {
				return n, fmt.Errorf("export table %s row %d column %s: %w", t.name, n+1, t.columns[i].Name, err)
			}
			batch = append(batch, val)
		}
		n++
		if pending++; pending == per {
			if err := flush(pending); err != nil {
				return n, fmt.Errorf("import table %s rows up to %d: %w", t.name, n, err)
			}
			pending = 0
		}
	}
	if err := flush(pending); err != nil {
		return n, fmt.Errorf("import table %s rows up to %d: %w", t.name, n, err)
	}
	return n, expectDelim(dec, ']')
}

// insertStatement inserts rows rows of t's columns, with anonymous "?"
// parameters on SQLite: modernc's driver looks up every named ($n)
// parameter by a linear search, which makes a statement of thousands of
// them quadratic (see bulkInsert).
func (s *Store) insertStatement(t tableInfo, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quoteIdent(t.name) + " (")
	for i, c := range t.columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c.Name))
	}
	b.WriteString(") VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range t.columns {
			if i > 0 {
				b.WriteString(", ")
			}
			if s.dialect == dialectSQLite {
				b.WriteByte('?')
			} else {
				b.WriteString("$" + strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// fromPortable converts one decoded JSON value back to a database value.
func fromPortable(typ string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case colInt:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case colFloat:
		switch x := v.(type) {
		case json.Number:
			return x.Float64()
		case string:
			switch x {
			case "NaN":
				return math.NaN(), nil
			case "+Inf":
				return math.Inf(1), nil
			case "-Inf":
				return math.Inf(-1), nil
			}
		}
	case colText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case colBytes:
		if s, ok := v.(string); ok {
			return base64.StdEncoding.DecodeString(s)
		}
	}
	return nil, fmt.Errorf("%v is not a %s value", v, typ)
}

// resetSequences moves every identity column's sequence past the largest
// imported id (PostgreSQL; SQLite takes the next rowid from the table).
func (s *Store) resetSequences(ctx context.Context, tx *sql.Tx, tables []tableInfo) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	for _, t := range tables {
		if !slices.Contains(columnNames(t.columns), "id") {
			continue
		}
		var seq sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, t.name).Scan(&seq); err != nil {
			return fmt.Errorf("import: sequence of %s: %w", t.name, err)
		}
		if !seq.Valid {
			continue
		}
		q := `SELECT setval($1, COALESCE((SELECT MAX(id) FROM ` + quoteIdent(t.name) + `), 0) + 1, false)`
		if _, err := tx.ExecContext(ctx, q, seq.String); err != nil {
			return fmt.Errorf("import: reset sequence of %s: %w", t.name, err)
		}
	}
	return nil
}

// expectDelim reads one JSON delimiter.
func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("want %q: %w", want, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, found %v", want, tok)
	}
	return nil
}

// expectKey reads one object key.
func expectKey(dec *json.Decoder, want string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("want key %q: %w", want, err)
	}
	if k, ok := tok.(string); !ok || k != want {
		return fmt.Errorf("want key %q, found %v", want, tok)
	}
	return nil
}
