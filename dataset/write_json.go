package dataset

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/sceval/sceval/engine"
)

// WriteJSON writes res as one JSON document:
//
//	{"framework": "…", "hash": "…",
//	 "nodes": [{"code", "level", "parent", "weight", "effective_weight"}…],
//	 "units": [{"unit", "stars", "score": {code: n|null}, "rank": {code: n|null},
//	            "coverage": {…}, "contribution": {…}}…],
//	 "warnings": […]}
//
// Objects keyed by code list the nodes in the result's order; parent is
// the code of the parent node ("" at the root); missing values are null;
// stars is null when the overall score is missing. Numbers are formatted
// by AppendNumber.
func WriteJSON(w io.Writer, res *engine.Result) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	b := []byte(`{"framework":`)
	b = appendJSONString(b, res.FrameworkID)
	b = append(b, `,"hash":`...)
	b = appendJSONString(b, res.Hash)
	b = append(b, ",\n\"nodes\":["...)
	for k, n := range res.Nodes {
		b = appendJSONNode(b, res, k, n)
	}
	b = append(b, "],\n\"units\":["...)
	bw.Write(b)
	for u := range res.Units {
		b = appendJSONUnit(b[:0], res, u)
		if _, err := bw.Write(b); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
	}
	b = append(b[:0], "],\n\"warnings\":["...)
	for i, s := range res.Warnings {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	b = append(b, "]}\n"...)
	bw.Write(b)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

func appendJSONNode(b []byte, res *engine.Result, k int, n engine.Node) []byte {
	if k > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n {\"code\":"...)
	b = appendJSONString(b, n.Code)
	b = append(b, `,"level":`...)
	b = strconv.AppendInt(b, int64(n.Level), 10)
	b = append(b, `,"parent":`...)
	parent := ""
	if n.Parent >= 0 && n.Parent < len(res.Nodes) {
		parent = res.Nodes[n.Parent].Code
	}
	b = appendJSONString(b, parent)
	b = append(b, `,"weight":`...)
	b = appendJSONNumber(b, at(res.Weights, k))
	b = append(b, `,"effective_weight":`...)
	b = appendJSONNumber(b, at(res.EffectiveWeights, k))
	return append(b, '}')
}

func appendJSONUnit(b []byte, res *engine.Result, u int) []byte {
	if u > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n {\"unit\":"...)
	b = appendJSONString(b, res.Units[u])
	b = append(b, `,"stars":`...)
	if u < len(res.Stars) && res.Stars[u] >= 0 {
		b = strconv.AppendInt(b, int64(res.Stars[u]), 10)
	} else {
		b = append(b, "null"...)
	}
	nodes := len(res.Nodes)
	row := u * nodes
	for _, field := range [...]string{"score", "rank", "coverage", "contribution"} {
		b = append(b, ",\n  \""...)
		b = append(b, field...)
		b = append(b, "\":{"...)
		for k, n := range res.Nodes {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, n.Code)
			b = append(b, ':')
			b = appendJSONField(b, res, field, row+k)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONField appends one result cell; values of a missing score are
// null in every field.
func appendJSONField(b []byte, res *engine.Result, field string, i int) []byte {
	if math.IsNaN(res.Score[i]) {
		return append(b, "null"...)
	}
	switch field {
	case "score":
		return appendJSONNumber(b, res.Score[i])
	case "rank":
		if r := res.Rank[i]; r > 0 {
			return strconv.AppendInt(b, int64(r), 10)
		}
		return append(b, "null"...)
	case "coverage":
		return appendJSONNumber(b, at(res.Coverage, i))
	default:
		return appendJSONNumber(b, at(res.Contribution, i))
	}
}

// at returns s[i], or NaN when s is too short (an engine that leaves a
// field empty).
func at(s []float64, i int) float64 {
	if i < len(s) {
		return s[i]
	}
	return math.NaN()
}

// appendJSONNumber appends v formatted by AppendNumber, or null for NaN and
// infinities (which JSON cannot represent).
func appendJSONNumber(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return AppendNumber(b, v)
}

// appendJSONString appends s as a JSON string, escaping quotes,
// backslashes and control characters and replacing invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
