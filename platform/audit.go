package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// AuditEvent is one change as a store method reports it: what was done to
// which object, and the object before and after (nil when it did not exist
// or does not exist any more). The store adds who, when and from where.
type AuditEvent struct {
	// Action names the change, as the Authorize action ("submission.return").
	Action string
	// Object names what changed: "submission/12", "submission/12/entry/1.1.1".
	Object string
	Before any
	After  any
}

// AuditChains is the number of independent hash chains of the trail. A
// change goes to the chain of its object (AuditChainOf), so that writers of
// different objects never wait for each other's chain, while every change
// of one object stays in one chain, in order.
const AuditChains = 16

// AuditChainOf returns the chain of an object: FNV-1a of its first two path
// segments ("submission/12" for "submission/12/entry/1.1.1"), modulo
// AuditChains.
func AuditChainOf(object string) int {
	root := object
	if i := strings.IndexByte(object, '/'); i >= 0 {
		if j := strings.IndexByte(object[i+1:], '/'); j >= 0 {
			root = object[:i+1+j]
		}
	}
	h := fnv.New32a()
	h.Write([]byte(root))
	return int(h.Sum32() % AuditChains)
}

// AuditRecord is one stored row of the audit trail.
type AuditRecord struct {
	// ID is the order rows were chained (not hashed: it only locates a
	// row); listings are by At, then ID.
	ID int64 `json:"id"`
	// Chain and ChainSeq place the row in its hash chain: ChainSeq is 1,
	// 2, 3, … within the chain.
	Chain    int       `json:"chain"`
	ChainSeq int64     `json:"chain_seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Address  string    `json:"address"`
	Action   string    `json:"action"`
	Object   string    `json:"object"`
	// Before and After are the object's JSON before and after the change
	// ("null" when absent), stored byte for byte as hashed.
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// AuditFilter selects audit rows. Empty fields do not filter; Object
// matches the object and everything under it ("submission/12" also matches
// "submission/12/entry/1.1.1").
type AuditFilter struct {
	Object string `json:"object,omitempty"`
	Actor  string `json:"actor,omitempty"`
	// Action keeps the rows of one action ("cycle.transition.open").
	Action string    `json:"action,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Limit  int       `json:"limit,omitempty"`
	Offset int       `json:"offset,omitempty"`
}

// GenesisHash is the previous hash of the first row of every chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditHash returns the hex SHA-256 that chains record r to its
// predecessor: the hash covers prev (the previous row's hash in the chain)
// and every field of r except ID and Hash, each written as a
// length-prefixed field so that no two different rows serialise alike.
func AuditHash(prev string, r AuditRecord) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.Itoa(r.Chain), strconv.FormatInt(r.ChainSeq, 10), strconv.FormatInt(r.At.UnixMicro(), 10),
		r.Actor, r.Address, r.Action, r.Object, string(r.Before), string(r.After)} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditHead is the recorded end of one chain.
type AuditHead struct {
	Chain int    `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// AuditVerification is the outcome of checking the audit chains.
type AuditVerification struct {
	// Rows is the number of rows checked.
	Rows int64 `json:"rows"`
	// OK is true when every row chains to its predecessor and every
	// chain's last row matches its recorded head.
	OK bool `json:"ok"`
	// BrokenChain and BrokenPosition place the first broken row (a
	// missing row has no ID: its place names it); BrokenID is its ID when
	// it exists. Problem says what is wrong.
	BrokenChain    int    `json:"broken_chain,omitempty"`
	BrokenPosition int64  `json:"broken_position,omitempty"`
	BrokenID       int64  `json:"broken_id,omitempty"`
	Problem        string `json:"problem,omitempty"`
	// Heads are the chains' recorded ends; HeadDigest is SHA-256 over
	// them: keep it outside the database to detect a rewrite of the whole
	// trail.
	Heads      []AuditHead `json:"heads"`
	HeadDigest string      `json:"head_digest"`
}

// AuditChecker checks rows fed in (chain, position) order.
type AuditChecker struct {
	last   map[int]AuditHead
	result AuditVerification
}

// Check checks the next row and reports false at the first broken one
// (whose details Result then gives).
func (c *AuditChecker) Check(r AuditRecord) bool {
	if c.last == nil {
		c.last = map[int]AuditHead{}
	}
	if c.result.Problem != "" {
		return false
	}
	c.result.Rows++
	prev := c.last[r.Chain]
	want := prev.Hash
	if prev.Seq == 0 {
		want = GenesisHash
	}
	switch {
	case r.ChainSeq != prev.Seq+1:
		return c.broken(r.Chain, prev.Seq+1, 0, fmt.Sprintf("row %d of chain %d is missing (the chain goes from %d to %d, row ID %d)",
			prev.Seq+1, r.Chain, prev.Seq, r.ChainSeq, r.ID))
	case r.PrevHash != want:
		return c.broken(r.Chain, r.ChainSeq, r.ID, fmt.Sprintf("row %d of chain %d (ID %d) does not chain to its predecessor", r.ChainSeq, r.Chain, r.ID))
	case AuditHash(r.PrevHash, r) != r.Hash:
		return c.broken(r.Chain, r.ChainSeq, r.ID, fmt.Sprintf("row %d of chain %d (ID %d) was altered: its content does not match its hash %.12s…",
			r.ChainSeq, r.Chain, r.ID, r.Hash))
	}
	c.last[r.Chain] = AuditHead{Chain: r.Chain, Seq: r.ChainSeq, Hash: r.Hash}
	return true
}

func (c *AuditChecker) broken(chain int, pos, id int64, problem string) bool {
	c.result.BrokenChain, c.result.BrokenPosition, c.result.BrokenID, c.result.Problem = chain, pos, id, problem
	return false
}

// Finish compares each chain's last row with its recorded head and
// returns the verification.
func (c *AuditChecker) Finish(heads []AuditHead) AuditVerification {
	v := c.result
	v.Heads = heads
	d := sha256.New()
	for _, h := range heads {
		fmt.Fprintf(d, "%d:%d:%s\n", h.Chain, h.Seq, h.Hash)
		if v.Problem != "" {
			continue
		}
		last := c.last[h.Chain]
		switch {
		case h.Seq > last.Seq:
			v.BrokenChain, v.BrokenPosition, v.Problem = h.Chain, last.Seq+1,
				fmt.Sprintf("row %d of chain %d is missing: the chain ends at row %d but its head says %d", last.Seq+1, h.Chain, last.Seq, h.Seq)
		case h.Seq < last.Seq:
			v.BrokenChain, v.BrokenPosition, v.Problem = h.Chain, h.Seq+1, fmt.Sprintf("row %d of chain %d lies beyond the chain's head (row %d)", h.Seq+1, h.Chain, h.Seq)
		case h.Seq > 0 && h.Hash != last.Hash:
			v.BrokenChain, v.BrokenPosition, v.Problem = h.Chain, h.Seq, fmt.Sprintf("row %d of chain %d does not match the chain head's hash %.12s…", h.Seq, h.Chain, h.Hash)
		}
	}
	v.HeadDigest = hex.EncodeToString(d.Sum(nil))
	v.OK = v.Problem == ""
	return v
}

type clientAddressKey struct{}

// WithClientAddress returns ctx carrying the caller's network address,
// which the audit trail records.
func WithClientAddress(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddressKey{}, addr)
}

// ClientAddressFrom returns the address in ctx, or "local" for calls that
// did not come over the network (CLI, demo, tests).
func ClientAddressFrom(ctx context.Context) string {
	if a, _ := ctx.Value(clientAddressKey{}).(string); a != "" {
		return a
	}
	return "local"
}

// ActorOf returns the name recorded as the actor of a change made with ctx.
func ActorOf(ctx context.Context) string { return actor(ctx) }

// AuditJSON encodes an audit before/after value; nil is "null".
func AuditJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("null"), nil
	}
	if raw, ok := v.(json.RawMessage); ok && len(raw) > 0 {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit value: %w", err)
	}
	return b, nil
}

// auditObjectPrefix normalises an object filter (no trailing slash).
func auditObjectPrefix(o string) string { return strings.TrimRight(strings.TrimSpace(o), "/") }
