package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// WAL checkpoints on SQLite. By default SQLite checkpoints from the
// connection that commits: once the WAL holds 1,000 pages, the writer copies
// them into the database file and syncs it, and every save queued behind the
// single writer waits meanwhile — at 2,000 saves/s several stalls a second,
// which were most of the slowest 1 % of saves. The checkpointer does that
// copying beforehand, on a connection of its own, with a PASSIVE checkpoint
// (which takes no writer lock, https://sqlite.org/c3ref/wal_checkpoint_v2.html)
// every checkpointInterval. The writer's automatic checkpoint stays: it then
// finds all but the last few pages copied, finishes quickly, and lets the
// next write restart the WAL from its beginning (a PASSIVE checkpoint alone
// never catches up with a busy writer, so the WAL would only grow).
const checkpointInterval = 50 * time.Millisecond

// checkpointer runs PASSIVE checkpoints on its own connection until close.
type checkpointer struct {
	db   *sql.DB
	quit chan struct{}
	done chan struct{}
	once sync.Once
	err  error
}

func newCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
			// An error (the tables not migrated yet, a busy database) is
			// harmless: the next tick tries again, the writer's backstop
			// remains.
			_, _ = c.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	c.once.Do(func() {
		close(c.quit)
		<-c.done
		c.err = c.db.Close()
	})
	return c.err
}
