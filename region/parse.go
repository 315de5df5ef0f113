package region

import (
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Parse reads a registry in the text form of data/regions.tsv.gz after
// decompression: one region per line, "code<TAB>name", UTF-8, sorted by code
// in strictly ascending byte order, every region after its parent. Levels
// and parents are derived from the codes. Errors name the offending line.
func Parse(r io.Reader) (*Registry, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read region data: %w", err)
	}
	// One string holds all codes and names; regions slice into it, so the
	// registry costs one allocation for its text.
	text := string(data)
	reg := &Registry{regions: make([]Region, 0, strings.Count(text, "\n")+1)}
	var st parseState
	for lineNo := 1; text != ""; lineNo++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		region, err := st.parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("region data line %d: %w", lineNo, err)
		}
		reg.regions = append(reg.regions, region)
		reg.counts[region.Level-1]++
	}
	return reg, nil
}

// parseState carries what Parse has seen so far.
type parseState struct {
	prev string           // previous code
	last [Town + 1]string // most recent code at each level
}

// parseLine parses one "code<TAB>name" line. Because lines are sorted, a
// parent that exists is the most recent code one level up.
func (st *parseState) parseLine(line string) (Region, error) {
	code, name, ok := strings.Cut(line, "\t")
	if !ok {
		return Region{}, fmt.Errorf("want code<TAB>name, got %q", line)
	}
	level := LevelOf(code)
	if level == 0 {
		return Region{}, fmt.Errorf("invalid code %q: want 2, 4, 6 or 9 digits", code)
	}
	if name == "" || strings.ContainsAny(name, "\t\r") || !utf8.ValidString(name) {
		return Region{}, fmt.Errorf("code %s: invalid name %q", code, name)
	}
	if code <= st.prev {
		return Region{}, fmt.Errorf("code %s: not after %s (codes must be sorted and unique)", code, st.prev)
	}
	parent := parentCode(code)
	if parent != "" && st.last[level-1] != parent {
		return Region{}, fmt.Errorf("code %s: parent %s missing", code, parent)
	}
	st.prev, st.last[level] = code, code
	return Region{Code: code, Name: name, Level: level, Parent: parent}, nil
}

// parseGzip reads a gzip-compressed registry such as data/regions.tsv.gz.
func parseGzip(r io.Reader) (*Registry, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("decompress region data: %w", err)
	}
	defer zr.Close()
	reg, err := Parse(zr)
	if err != nil {
		return nil, err
	}
	return reg, nil
}
