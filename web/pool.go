package web

import "database/sql"

// writerStatser is a store with a separate writer pool (the SQLite store
// keeps one connection for writes beside the read pool).
type writerStatser interface {
	WriterStats() sql.DBStats
}

// writePoolStats writes the database connection pool statistics
// (sql.DBStats) as they are at the scrape, labelled pool="read"
// (Store.Stats) and, when the store has one, pool="write".
func writePoolStats(e expo, store Store) {
	pools := []string{"read"}
	stats := []sql.DBStats{store.Stats()}
	if w, ok := store.(writerStatser); ok {
		pools = append(pools, "write")
		stats = append(stats, w.WriterStats())
	}
	series := []struct {
		name, typ, help string
		value           func(sql.DBStats) float64
	}{
		{"max_open_connections", "gauge", "Maximum number of open connections to the database.", func(s sql.DBStats) float64 { return float64(s.MaxOpenConnections) }},
		{"open_connections", "gauge", "Established connections, in use and idle.", func(s sql.DBStats) float64 { return float64(s.OpenConnections) }},
		{"in_use_connections", "gauge", "Connections in use.", func(s sql.DBStats) float64 { return float64(s.InUse) }},
		{"idle_connections", "gauge", "Idle connections.", func(s sql.DBStats) float64 { return float64(s.Idle) }},
		{"wait_count_total", "counter", "Times a request waited for a connection.", func(s sql.DBStats) float64 { return float64(s.WaitCount) }},
		{"wait_duration_seconds_total", "counter", "Total time spent waiting for a connection.", func(s sql.DBStats) float64 { return s.WaitDuration.Seconds() }},
		{"closed_connections_total", "counter", "Connections closed for idleness or lifetime.", func(s sql.DBStats) float64 {
			return float64(s.MaxIdleClosed + s.MaxIdleTimeClosed + s.MaxLifetimeClosed)
		}},
	}
	for _, m := range series {
		name := "sceval_db_" + m.name
		e.family(name, m.typ, m.help)
		for i, pool := range pools {
			e.sample(name, m.value(stats[i]), "pool", pool)
		}
	}
}
