package platform

import "sync"

// maxCachedSubmissions bounds the submission → leaf plan cache: a national
// cycle has about 41,350 submissions; a cached one costs a map slot.
const maxCachedSubmissions = 1 << 17

// planCache remembers the leaf plan of submissions whose cycle is open. The
// mapping never goes stale: a submission never changes cycle, and a cycle's
// framework is frozen once it leaves draft (Service.UpdateCycle refuses the
// change). Only the states can change, and the store checks those inside
// every entry write. It is bounded: when full, an arbitrary entry (Go's map
// iteration order) makes room, which costs the evicted submission one read.
type planCache struct {
	mu  sync.RWMutex
	max int
	m   map[int64]*leafPlan
}

func newPlanCache(max int) *planCache {
	return &planCache{max: max, m: make(map[int64]*leafPlan)}
}

// get returns the cached plan of submission id.
func (c *planCache) get(id int64) (*leafPlan, bool) {
	c.mu.RLock()
	p, ok := c.m[id]
	c.mu.RUnlock()
	return p, ok
}

// put caches the plan of submission id, evicting one entry when full.
func (c *planCache) put(id int64, p *leafPlan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; !ok && len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[id] = p
}
