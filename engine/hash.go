package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"
	"slices"

	"github.com/sceval/sceval/framework"
)

// inputHash returns the hex SHA-256 of everything a result depends on: the
// framework as JSON, the scheme's canonical JSON, and the data (units,
// codes, the bits of every value, attributes in name order), each part
// length-prefixed so that boundaries cannot shift.
func inputHash(fw *framework.Framework, d *Data, s *Scheme) string {
	h := sha256.New()
	fwJSON, err := json.Marshal(fw)
	if err != nil {
		fwJSON = []byte(fw.ID)
	}
	writePart(h, fwJSON)
	writePart(h, s.Canonical())
	writeStrings(h, d.Units)
	writeStrings(h, d.Codes)
	writeValues(h, d.Values)
	names := make([]string, 0, len(d.Attrs))
	for k := range d.Attrs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		writePart(h, []byte(k))
		writeStrings(h, d.Attrs[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeValues writes the little-endian bits of every value, with one NaN
// pattern, in chunks of 8,192 values.
func writeValues(h hash.Hash, values []float64) {
	const chunk = 1 << 13
	nan := math.Float64bits(math.NaN())
	buf := make([]byte, 8*min(chunk, len(values)))
	for len(values) > 0 {
		c := values[:min(chunk, len(values))]
		b := buf[:8*len(c)]
		for j, v := range c {
			bits := math.Float64bits(v)
			if v != v {
				bits = nan
			}
			binary.LittleEndian.PutUint64(b[8*j:], bits)
		}
		h.Write(b)
		values = values[len(c):]
	}
}

func writePart(h hash.Hash, b []byte) {
	h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(b))))
	h.Write(b)
}

func writeStrings(h hash.Hash, ss []string) {
	buf := binary.LittleEndian.AppendUint64(make([]byte, 0, 1<<12), uint64(len(ss)))
	for _, s := range ss {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(len(s)))
		buf = append(buf, s...)
		if len(buf) > 1<<12-64 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
}
