package platform

import (
	"fmt"
	"sync"
	"time"
)

// LoginThrottled is the refusal of a login attempt while its account or
// client address is backing off (HTTP 429 with Retry-After).
type LoginThrottled struct {
	RetryAfter time.Duration
}

// Error returns the message shown to the user.
func (e *LoginThrottled) Error() string {
	return fmt.Sprintf("登录失败次数过多，请在 %d 秒后重试 (too many failed logins)", int(e.RetryAfter.Seconds()+0.999))
}

// throttle counts failed logins per key ("user:NAME", "addr:IP") and makes
// each key back off exponentially once it has used its free attempts:
// after free failures the key waits base, then 2·base, 4·base … up to max
// (OWASP Authentication Cheat Sheet, "Login Throttling"). A success clears
// the key. State is in memory: a restart forgets it, which only gives an
// attacker a few more attempts per restart.
type throttle struct {
	mu        sync.Mutex
	free      int
	base, max time.Duration
	keys      map[string]*throttleState
}

type throttleState struct {
	failures int
	until    time.Time
	last     time.Time
}

// maxThrottleKeys bounds the memory an address-spraying attacker can use;
// past it, keys idle for longer than max are dropped.
const maxThrottleKeys = 100_000

func newThrottle(free int, base, max time.Duration) *throttle {
	return &throttle{free: free, base: base, max: max, keys: map[string]*throttleState{}}
}

// wait returns how long key must still wait before its next attempt.
func (t *throttle) wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st := t.keys[key]; st != nil && now.Before(st.until) {
		return st.until.Sub(now)
	}
	return 0
}

// fail records a failed attempt of key at now.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.keys) >= maxThrottleKeys {
		t.prune(now)
	}
	st := t.keys[key]
	if st == nil {
		st = &throttleState{}
		t.keys[key] = st
	}
	st.failures++
	st.last = now
	if over := st.failures - t.free; over > 0 {
		d := t.base << min(over-1, 30)
		if d > t.max || d <= 0 {
			d = t.max
		}
		st.until = now.Add(d)
	}
}

// succeed clears key.
func (t *throttle) succeed(key string) {
	t.mu.Lock()
	delete(t.keys, key)
	t.mu.Unlock()
}

// prune drops keys idle for longer than the longest back-off.
func (t *throttle) prune(now time.Time) {
	for k, st := range t.keys {
		if now.Sub(st.last) > t.max && now.After(st.until) {
			delete(t.keys, k)
		}
	}
}
