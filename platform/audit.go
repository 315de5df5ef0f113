package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// AuditRecord is one stored row of the audit trail.
type AuditRecord struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Address string    `json:"address"`
	Action  string    `json:"action"`
	Object  string    `json:"object"`
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
	Object string    `json:"object,omitempty"`
	Actor  string    `json:"actor,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Limit  int       `json:"limit,omitempty"`
	Offset int       `json:"offset,omitempty"`
}

// GenesisHash is the previous hash of the first audit row.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditHash returns the hex SHA-256 that chains record r to its
// predecessor: the hash covers prev (the previous row's hash) and every
// field of r except Hash, each written as a length-prefixed field so that no
// two different rows serialise alike.
func AuditHash(prev string, r AuditRecord) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(r.Seq, 10), strconv.FormatInt(r.At.UnixMicro(), 10),
		r.Actor, r.Address, r.Action, r.Object, string(r.Before), string(r.After)} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditVerification is the outcome of checking the audit chain.
type AuditVerification struct {
	// Rows is the number of rows checked.
	Rows int64 `json:"rows"`
	// OK is true when every row chains to its predecessor and the last row
	// matches the recorded head.
	OK bool `json:"ok"`
	// BrokenSeq is the first row that fails (0 when OK); Problem says how.
	BrokenSeq int64  `json:"broken_seq,omitempty"`
	Problem   string `json:"problem,omitempty"`
	// HeadSeq and HeadHash are the chain's recorded end: keep HeadHash
	// outside the database to detect a rewrite of the whole chain.
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash"`
}

// AuditChecker checks rows fed in sequence order; the zero value expects
// the first row.
type AuditChecker struct {
	prevSeq  int64
	prevHash string
	result   AuditVerification
}

// Check checks the next row and reports false at the first broken one
// (whose details Result then gives).
func (c *AuditChecker) Check(r AuditRecord) bool {
	if c.result.BrokenSeq != 0 {
		return false
	}
	c.result.Rows++
	prev := c.prevHash
	if c.prevSeq == 0 {
		prev = GenesisHash
	}
	switch {
	case r.Seq != c.prevSeq+1:
		return c.broken(c.prevSeq+1, fmt.Sprintf("row %d is missing (the row after %d is %d)", c.prevSeq+1, c.prevSeq, r.Seq))
	case r.PrevHash != prev:
		return c.broken(r.Seq, fmt.Sprintf("row %d does not chain to row %d (previous hash %.12s…, expected %.12s…)", r.Seq, c.prevSeq, r.PrevHash, prev))
	case AuditHash(r.PrevHash, r) != r.Hash:
		return c.broken(r.Seq, fmt.Sprintf("row %d was altered: its content does not match its hash %.12s…", r.Seq, r.Hash))
	}
	c.prevSeq, c.prevHash = r.Seq, r.Hash
	return true
}

func (c *AuditChecker) broken(seq int64, problem string) bool {
	c.result.BrokenSeq, c.result.Problem = seq, problem
	return false
}

// Finish compares the last row with the recorded head and returns the
// verification.
func (c *AuditChecker) Finish(headSeq int64, headHash string) AuditVerification {
	v := c.result
	v.HeadSeq, v.HeadHash = headSeq, headHash
	if v.BrokenSeq == 0 {
		switch {
		case headSeq > c.prevSeq:
			v.BrokenSeq, v.Problem = c.prevSeq+1, fmt.Sprintf("row %d is missing: the chain ends at row %d but its head says %d", c.prevSeq+1, c.prevSeq, headSeq)
		case headSeq < c.prevSeq:
			v.BrokenSeq, v.Problem = headSeq+1, fmt.Sprintf("row %d lies beyond the chain head (row %d)", headSeq+1, headSeq)
		case headSeq > 0 && headHash != c.prevHash:
			v.BrokenSeq, v.Problem = headSeq, fmt.Sprintf("row %d does not match the chain head's hash %.12s…", headSeq, headHash)
		}
	}
	v.OK = v.BrokenSeq == 0
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
