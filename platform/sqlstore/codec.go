package sqlstore

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// micros stores a time as microseconds since the Unix epoch.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros reads a stored time, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros stores an optional time.
func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromNullMicros reads an optional time.
func fromNullMicros(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}

// SQLite extended result codes and PostgreSQL SQLSTATEs for constraint
// violations (https://sqlite.org/rescode.html, PostgreSQL Appendix A).
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
	sqliteConstraintForeignKey = 787
	pgUniqueViolation          = "23505"
	pgForeignKeyViolation      = "23503"
)

// isUnique reports whether err is a unique or primary-key violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintUnique || se.Code() == sqliteConstraintPrimaryKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqliteConstraintForeignKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgForeignKeyViolation
}

// packFloats encodes float64s little-endian.
func packFloats(v []float64) []byte {
	out := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(x))
	}
	return out
}

// unpackFloat returns the i-th float64 of a packFloats encoding.
func unpackFloat(b []byte, i int) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
}

// packInt32s encodes int32s little-endian.
func packInt32s(v []int32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(x))
	}
	return out
}

// unpackInt32 returns the i-th int32 of a packInt32s encoding.
func unpackInt32(b []byte, i int) int32 { return int32(binary.LittleEndian.Uint32(b[4*i:])) }

// packInt64s encodes int64s little-endian.
func packInt64s(v []int64) []byte {
	out := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(out[8*i:], uint64(x))
	}
	return out
}

// unpackInt64 decodes the i-th int64 of a packInt64s encoding.
func unpackInt64(b []byte, i int) int64 { return int64(binary.LittleEndian.Uint64(b[8*i:])) }

// unpackInt64s decodes a packInt64s encoding.
func unpackInt64s(b []byte) []int64 {
	out := make([]int64, len(b)/8)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

// optFloat returns a pointer to x, or nil when x is NaN.
func optFloat(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// nullFloat stores a float64 that may be NaN (missing) as NULL.
func nullFloat(x float64) sql.NullFloat64 {
	return sql.NullFloat64{Float64: x, Valid: !math.IsNaN(x)}
}
