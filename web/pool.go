package web

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
)

// writerStatser is a store with a separate writer pool (the SQLite store
// keeps one connection for writes beside the read pool).
type writerStatser interface {
	WriterStats() sql.DBStats
}

// poolCollector exports the database connection pool statistics
// (sql.DBStats) at every scrape, labelled pool="read" (Store.Stats) and,
// when the store has one, pool="write".
type poolCollector struct {
	store                           Store
	maxOpen, open, inUse, idle      *prometheus.Desc
	waitCount, waitDuration, closed *prometheus.Desc
}

func newPoolCollector(store Store) *poolCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("sceval_db_"+name, help, []string{"pool"}, nil)
	}
	return &poolCollector{
		store:        store,
		maxOpen:      desc("max_open_connections", "Maximum number of open connections to the database."),
		open:         desc("open_connections", "Established connections, in use and idle."),
		inUse:        desc("in_use_connections", "Connections in use."),
		idle:         desc("idle_connections", "Idle connections."),
		waitCount:    desc("wait_count_total", "Times a request waited for a connection."),
		waitDuration: desc("wait_duration_seconds_total", "Total time spent waiting for a connection."),
		closed:       desc("closed_connections_total", "Connections closed for idleness or lifetime."),
	}
}

// Describe implements prometheus.Collector.
func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.maxOpen, c.open, c.inUse, c.idle, c.waitCount, c.waitDuration, c.closed} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	c.collect(ch, "read", c.store.Stats())
	if w, ok := c.store.(writerStatser); ok {
		c.collect(ch, "write", w.WriterStats())
	}
}

func (c *poolCollector) collect(ch chan<- prometheus.Metric, pool string, st sql.DBStats) {
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, pool)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, pool)
	}
	gauge(c.maxOpen, float64(st.MaxOpenConnections))
	gauge(c.open, float64(st.OpenConnections))
	gauge(c.inUse, float64(st.InUse))
	gauge(c.idle, float64(st.Idle))
	counter(c.waitCount, float64(st.WaitCount))
	counter(c.waitDuration, st.WaitDuration.Seconds())
	counter(c.closed, float64(st.MaxIdleClosed+st.MaxIdleTimeClosed+st.MaxLifetimeClosed))
}
