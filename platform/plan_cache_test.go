package platform

import "testing"

func TestPlanCacheIsBounded(t *testing.T) {
	c := newPlanCache(3)
	p := &leafPlan{}
	for id := range int64(10) {
		c.put(id, p)
		if len(c.m) > 3 {
			t.Fatalf("after %d puts: %d cached, want at most 3", id+1, len(c.m))
		}
	}
	if got, ok := c.get(9); !ok || got != p {
		t.Fatal("the latest put is not cached")
	}
	c.put(9, p) // present: nothing evicted
	if len(c.m) != 3 {
		t.Fatalf("%d cached after re-put, want 3", len(c.m))
	}
}
