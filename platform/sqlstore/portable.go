package sqlstore

import (
	"bufio"
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
	"time"
	"unicode/utf8"
)

// PortableFormat names the portable export: every table of the platform's
// database as JSON, the same from SQLite and PostgreSQL, so that a
// database moves from one to the other (ExportAll, ImportAll).
const PortableFormat = "sceval-export"

// portableVersion is the version of the export's layout (not the schema's).
const portableVersion = 1

// Column types of the portable export: every column of the schema is one of
// these (migrations use only BIGINT/INTEGER/SMALLINT, REAL/DOUBLE
// PRECISION, TEXT and BLOB/BYTEA).
const (
	colInt   = "int"
	colFloat = "float"
	colText  = "text"
	colBytes = "bytes"
)

// PortableHeader is the first part of an export: what wrote it and which
// schema its tables have.
type PortableHeader struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	SchemaVersion int       `json:"schema_version"`
	Database      string    `json:"database"`
	ExportedAt    time.Time `json:"exported_at"`
}

// PortableColumn is one column of an exported table.
type PortableColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// PortableStats counts what an export or import moved, by table.
type PortableStats struct {
	Tables map[string]int
	Rows   int
	// EvidenceSums are the evidence files (hex SHA-256) the exported
	// snapshot names: exactly the files a backup must hold with it.
	EvidenceSums map[string]bool
}

// tableInfo is a table as the export sees it: its columns (sorted by name,
// so both databases agree), their types, and its primary key.
type tableInfo struct {
	name    string
	columns []PortableColumn
	key     []string
}

// skippedTables are not exported: each database keeps its own migration
// record (the export carries the schema version instead).
var skippedTables = map[string]bool{"schema_migrations": true}

// rowsQueryer is what schema introspection needs: a *sql.Tx or *sql.DB.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ExportAll writes every table of the database (except the migration
// record) to w as portable JSON, from one consistent snapshot (a read
// transaction: REPEATABLE READ on PostgreSQL, a WAL snapshot on SQLite),
// while the store stays in use. Tables come parents first, so ImportAll
// can insert them in file order; rows in primary-key order (bytewise for
// text), columns by name: the same content exports to the same bytes from
// either database apart from the header.
func (s *Store) ExportAll(ctx context.Context, w io.Writer) (PortableStats, error) {
	stats := PortableStats{Tables: map[string]int{}, EvidenceSums: map[string]bool{}}
	if err := s.chainQueued(ctx); err != nil {
		return stats, err
	}
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == dialectPostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.rdb.BeginTx(ctx, opts)
	if err != nil {
		return stats, fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	version, err := schemaVersionIn(ctx, tx)
	if err != nil {
		return stats, err
	}
	tables, err := s.tables(ctx, tx)
	if err != nil {
		return stats, err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	head := PortableHeader{Format: PortableFormat, Version: portableVersion, SchemaVersion: version,
		Database: s.dialectName(), ExportedAt: time.Now().UTC().Truncate(time.Second)}
	hb, err := json.Marshal(head)
	if err != nil {
		return stats, err
	}
	fmt.Fprintf(bw, "{\"header\":%s,\n\"tables\":[", hb)
	for i, t := range tables {
		if i > 0 {
			bw.WriteString(",")
		}
		n, err := s.exportTable(ctx, tx, t, bw, stats.EvidenceSums)
		if err != nil {
			return stats, err
		}
		stats.Tables[t.name] = n
		stats.Rows += n
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return stats, fmt.Errorf("export: write: %w", err)
	}
	return stats, nil
}

// dialectName is the database's name in exports and messages.
func (s *Store) dialectName() string {
	if s.dialect == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// schemaVersionIn reads the schema version inside tx.
func schemaVersionIn(ctx context.Context, q rowsQueryer) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT MAX(version) FROM schema_migrations`)
	if err != nil {
		return 0, fmt.Errorf("read schema version (is the database migrated?): %w", err)
	}
	defer rows.Close()
	var v sql.NullInt64
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return 0, fmt.Errorf("read schema version: %w", err)
		}
	}
	return int(v.Int64), rows.Err()
}

// exportTable writes one table as {"name":…,"columns":[…],"rows":[…]}, a
// row per line, and returns the number of rows. The evidence table's
// sha256 values are added to sums.
func (s *Store) exportTable(ctx context.Context, tx *sql.Tx, t tableInfo, bw *bufio.Writer, sums map[string]bool) (int, error) {
	sumCol := -1
	if t.name == "evidence" {
		sumCol = slices.Index(columnNames(t.columns), "sha256")
	}
	cb, err := json.Marshal(t.columns)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(bw, "\n{\"name\":%q,\"columns\":%s,\"rows\":[", t.name, cb)
	rows, err := tx.QueryContext(ctx, s.selectAll(t))
	if err != nil {
		return 0, fmt.Errorf("export table %s: %w", t.name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	var line []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("export table %s: %w", t.name, err)
		}
		if sumCol >= 0 {
			if sum, ok := vals[sumCol].(string); ok && sum != "" {
				sums[sum] = true
			}
		}
		line = append(line[:0], '\n', '[')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			if line, err = appendPortable(line, t.columns[i].Type, v); err != nil {
				return n, fmt.Errorf("export table %s row %d column %s: %w", t.name, n+1, t.columns[i].Name, err)
			}
		}
		line = append(line, ']')
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.Write(line)
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("export table %s: %w", t.name, err)
	}
	bw.WriteString("]}")
	return n, nil
}

// selectAll is the query reading a table in a stable order: the primary key
// first, then every column, text compared bytewise (PostgreSQL's default
// collation sorts otherwise).
func (s *Store) selectAll(t tableInfo) string {
	names := make([]string, len(t.columns))
	types := map[string]string{}
	for i, c := range t.columns {
		names[i] = quoteIdent(c.Name)
		types[c.Name] = c.Type
	}
	var order []string
	for _, c := range append(slices.Clone(t.key), columnNames(t.columns)...) {
		o := quoteIdent(c)
		if types[c] == colText && s.dialect == dialectPostgres {
			o += ` COLLATE "C"`
		}
		order = append(order, o)
	}
	return "SELECT " + strings.Join(names, ", ") + " FROM " + quoteIdent(t.name) + " ORDER BY " + strings.Join(order, ", ")
}

// columnNames returns the columns' names.
func columnNames(cols []PortableColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// quoteIdent quotes an identifier for both dialects.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// appendPortable appends one value as JSON: integers and finite floats as
// numbers, NaN and infinities as the strings "NaN", "+Inf", "-Inf", text as
// a string (refusing invalid UTF-8, which JSON cannot carry), bytes as
// standard base64, NULL as null.
func appendPortable(b []byte, typ string, v any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	switch typ {
	case colInt:
		n, err := asInt(v)
		if err != nil {
			return b, err
		}
		return strconv.AppendInt(b, n, 10), nil
	case colFloat:
		f, err := asFloat(v)
		if err != nil {
			return b, err
		}
		switch {
		case math.IsNaN(f):
			return append(b, `"NaN"`...), nil
		case math.IsInf(f, 1):
			return append(b, `"+Inf"`...), nil
		case math.IsInf(f, -1):
			return append(b, `"-Inf"`...), nil
		}
		return strconv.AppendFloat(b, f, 'g', -1, 64), nil
	case colText:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case []byte:
			s = string(x)
		default:
			return b, fmt.Errorf("text column holds %T", v)
		}
		if !utf8.ValidString(s) {
			return b, fmt.Errorf("text is not valid UTF-8")
		}
		sb, err := json.Marshal(s)
		return append(b, sb...), err
	case colBytes:
		var raw []byte
		switch x := v.(type) {
		case []byte:
			raw = x
		case string:
			raw = []byte(x)
		default:
			return b, fmt.Errorf("bytes column holds %T", v)
		}
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, raw)
		return append(b, '"'), nil
	}
	return b, fmt.Errorf("unknown column type %q", typ)
}

// asInt converts what a driver returns for an integer column.
func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int:
		return int64(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), nil
		}
	}
	return 0, fmt.Errorf("integer column holds %T %v", v, v)
}

// asFloat converts what a driver returns for a floating-point column.
func asFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	}
	return 0, fmt.Errorf("float column holds %T %v", v, v)
}
