package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sceval/sceval/platform"
)

// countingTransport counts the requests a store sends, by method.
type countingTransport struct {
	puts, heads, gets atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodPut:
		c.puts.Add(1)
	case http.MethodHead:
		c.heads.Add(1)
	case http.MethodGet:
		c.gets.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// randomBytes returns n reproducible pseudo-random bytes behind head.
func randomBytes(seed uint64, head string, n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	r.Read(b)
	copy(b, head)
	return b
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// openSeaweed opens the store on bucket with prefix, counting its requests.
// An empty region makes the store ask the server (GetBucketLocation).
func openSeaweed(t *testing.T, w *weedServer, bucket, prefix string) (*S3, *countingTransport) {
	t.Helper()
	cfg := S3Config{Endpoint: w.endpoint(), Bucket: bucket, Prefix: prefix, Insecure: true,
		AccessKey: weedAccessKey, SecretKey: weedSecretKey, StagingDir: t.TempDir()}
	s, err := NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	counter := &countingTransport{}
	s.client.Transport = counter
	return s, counter
}

func readAllOpen(t *testing.T, s *S3, sum string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), sum)
	if err != nil {
		t.Fatalf("open %s: %v", sum, err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", sum, err)
	}
	return got
}

// stagingEmpty fails the test if an upload left a file in s's staging
// directory.
func stagingEmpty(t *testing.T, s *S3) {
	t.Helper()
	if left, _ := os.ReadDir(s.staging); len(left) != 0 {
		t.Errorf("staging files left in %s: %v", s.staging, left)
	}
}

// TestS3Seaweed runs the S3 store against a real S3-compatible server
// (SeaweedFS). The subtests share one server, since starting it takes
// seconds; the restart comes last.
func TestS3Seaweed(t *testing.T) {
	w := startWeed(t, findWeed(t))
	ctx := context.Background()
	if err := w.createBucket(ctx, "evidence"); err != nil {
		t.Fatal(err)
	}

	t.Run("UploadDedupeDownload", func(t *testing.T) {
		s, counter := openSeaweed(t, w, "evidence", "sceval/")
		content := randomBytes(1, "%PDF-1.4\n", 300<<10)
		want := sha256Hex(content)
		for i := range 2 {
			sum, size, ctype, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
			if err != nil || sum != want || size != int64(len(content)) || ctype != "application/pdf" {
				t.Fatalf("put %d: %s %d %q %v; want %s %d application/pdf", i+1, sum, size, ctype, err, want, len(content))
			}
		}
		if n := counter.puts.Load(); n != 1 {
			t.Errorf("two puts of the same content sent %d PUT requests, want 1", n)
		}
		wantKey := "sceval/" + want[:2] + "/" + want[2:4] + "/" + want
		if keys := w.list("evidence", "sceval/"); len(keys) != 1 || keys[0] != wantKey {
			t.Fatalf("bucket holds %v, want [%s]", keys, wantKey)
		}
		if got := readAllOpen(t, s, want); !bytes.Equal(got, content) {
			t.Fatalf("downloaded %d bytes (sha256 %s), want the %d uploaded", len(got), sha256Hex(got), len(content))
		}
		// The server kept the content type the store sent.
		res, _, err := w.send(ctx, http.MethodHead, "/evidence/"+wantKey, "", nil)
		if err != nil || res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" ||
			res.ContentLength != int64(len(content)) {
			t.Fatalf("HEAD %s: %v %v, want 200 with Content-Type application/pdf and Content-Length %d", wantKey, res, err, len(content))
		}
		stagingEmpty(t, s)
	})

	t.Run("LargeObjectInChunks", func(t *testing.T) {
		// Larger than weed's 4 MiB chunk (filer.maxMB): stored as several
		// chunks on the volume server, read back as one stream.
		s, _ := openSeaweed(t, w, "evidence", "sceval/")
		content := randomBytes(2, "", 9<<20+123)
		sum, _, _, err := s.Put(ctx, bytes.NewReader(content), 16<<20)
		if err != nil || sum != sha256Hex(content) {
			t.Fatalf("put: %s %v", sum, err)
		}
		if got := readAllOpen(t, s, sum); !bytes.Equal(got, content) {
			t.Fatalf("downloaded %d bytes (sha256 %s), want %d (%s)", len(got), sha256Hex(got), len(content), sum)
		}
	})

	t.Run("ConcurrentSameContent", func(t *testing.T) {
		s, _ := openSeaweed(t, w, "evidence", "concurrent/")
		content := randomBytes(3, "", 64<<10)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		sums := make([]string, 8)
		for i := range 8 {
			wg.Go(func() { sums[i], _, _, errs[i] = s.Put(ctx, bytes.NewReader(content), 1<<20) })
		}
		wg.Wait()
		want := sha256Hex(content)
		for i := range 8 {
			if errs[i] != nil || sums[i] != want {
				t.Fatalf("put %d: %s %v", i, sums[i], errs[i])
			}
		}
		if keys := w.list("evidence", "concurrent/"); len(keys) != 1 {
			t.Fatalf("bucket holds %v, want one object", keys)
		}
		if got := readAllOpen(t, s, want); !bytes.Equal(got, content) {
			t.Fatalf("downloaded content differs (sha256 %s)", sha256Hex(got))
		}
	})

	t.Run("SizeLimit", func(t *testing.T) {
		s, counter := openSeaweed(t, w, "evidence", "limit/")
		const limit = 100 << 10
		over := randomBytes(4, "", limit+1)
		_, _, _, err := s.Put(ctx, bytes.NewReader(over), limit)
		if platform.ErrorKindOf(err) != platform.TooLarge {
			t.Fatalf("put of %d bytes with limit %d: %v, want kind TooLarge", len(over), limit, err)
		}
		if counter.puts.Load() != 0 || counter.heads.Load() != 0 {
			t.Errorf("a refused upload sent %d PUT and %d HEAD requests", counter.puts.Load(), counter.heads.Load())
		}
		if keys := w.list("evidence", "limit/"); len(keys) != 0 {
			t.Fatalf("refused upload stored %v", keys)
		}
		stagingEmpty(t, s)
		// Exactly at the limit is accepted.
		sum, size, _, err := s.Put(ctx, bytes.NewReader(over[:limit]), limit)
		if err != nil || size != limit || sum != sha256Hex(over[:limit]) {
			t.Fatalf("put of exactly the limit: %s %d %v", sum, size, err)
		}
	})

	t.Run("NotFoundAndInvalid", func(t *testing.T) {
		s, _ := openSeaweed(t, w, "evidence", "sceval/")
		if _, err := s.Open(ctx, strings.Repeat("0", 64)); platform.ErrorKindOf(err) != platform.NotFound {
			t.Fatalf("open of an absent blob: %v, want kind NotFound", err)
		}
		if _, err := s.Open(ctx, "../../etc/passwd"); platform.ErrorKindOf(err) != platform.Invalid {
			t.Fatalf("open of a non-hash: %v, want kind Invalid", err)
		}
	})

	t.Run("Prefix", func(t *testing.T) {
		// A prefix with a space, '+' and CJK characters, as a URL gives it:
		// every byte but the unreserved ones is percent-encoded in both the
		// path and the signature, and the server must agree on the key.
		cfg, err := ParseS3URL("s3://evidence/%E8%AF%81%E6%8D%AE%202026+a?endpoint=" + w.endpoint() + "&insecure=1")
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Prefix != "证据 2026+a/" {
			t.Fatalf("prefix %q", cfg.Prefix)
		}
		cfg.AccessKey, cfg.SecretKey, cfg.StagingDir = weedAccessKey, weedSecretKey, t.TempDir()
		s, err := NewS3(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		content := []byte("prefixed evidence\n")
		sum, _, _, err := s.Put(ctx, bytes.NewReader(content), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		want := cfg.Prefix + sum[:2] + "/" + sum[2:4] + "/" + sum
		if keys := w.list("evidence", cfg.Prefix); len(keys) != 1 || keys[0] != want {
			t.Fatalf("bucket holds %q under the prefix, want [%q]", keys, want)
		}
		if got := readAllOpen(t, s, sum); !bytes.Equal(got, content) {
			t.Fatalf("downloaded %q", got)
		}
		// The same content under another prefix is another object.
		other, _ := openSeaweed(t, w, "evidence", "other/")
		if _, err := other.Open(ctx, sum); platform.ErrorKindOf(err) != platform.NotFound {
			t.Fatalf("open under another prefix: %v, want kind NotFound", err)
		}
	})

	t.Run("MissingBucket", func(t *testing.T) {
		cfg := S3Config{Endpoint: w.endpoint(), Bucket: "no-such-bucket", Insecure: true,
			AccessKey: weedAccessKey, SecretKey: weedSecretKey, StagingDir: t.TempDir()}
		_, err := NewS3(ctx, cfg)
		if err == nil || !strings.Contains(err.Error(), "s3://no-such-bucket") || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("NewS3 on a missing bucket: %v, want an error naming s3://no-such-bucket as missing", err)
		}
	})

	t.Run("AccessRefused", func(t *testing.T) {
		for _, c := range []struct {
			name, access, secret, want string
		}{
			{"wrong secret key", weedAccessKey, "not-the-secret", "SignatureDoesNotMatch"},
			{"unknown access key", "nobody", weedSecretKey, "InvalidAccessKeyId"},
			{"anonymous", "", "", "AccessDenied"},
		} {
			cfg := S3Config{Endpoint: w.endpoint(), Bucket: "evidence", Region: "us-east-1", Insecure: true,
				AccessKey: c.access, SecretKey: c.secret, StagingDir: t.TempDir()}
			_, err := NewS3(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), "s3://evidence") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: NewS3 returned %v, want an error naming s3://evidence and %s", c.name, err, c.want)
			}
			t.Logf("%s: %v", c.name, err)
		}
	})

	t.Run("Restart", func(t *testing.T) {
		s, _ := openSeaweed(t, w, "evidence", "restart/")
		before := randomBytes(5, "", 200<<10)
		sum, _, _, err := s.Put(ctx, bytes.NewReader(before), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		w.stop()
		after := randomBytes(6, "", 10<<10)
		_, err = s.Open(ctx, sum)
		if err == nil || !strings.Contains(err.Error(), w.endpoint()) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("open with the server down: %v, want an error naming %s and the refused connection", err, w.endpoint())
		}
		t.Logf("open with the server down: %v", err)
		_, _, _, err = s.Put(ctx, bytes.NewReader(after), 1<<20)
		if err == nil || !strings.Contains(err.Error(), w.endpoint()) {
			t.Errorf("put with the server down: %v, want an error naming %s", err, w.endpoint())
		}
		t.Logf("put with the server down: %v", err)
		stagingEmpty(t, s)

		w.start() // same data directory and ports
		// The store opened before the restart works on without reopening.
		if got := readAllOpen(t, s, sum); !bytes.Equal(got, before) {
			t.Fatalf("after restart: downloaded %d bytes (sha256 %s), want %d (%s)", len(got), sha256Hex(got), len(before), sum)
		}
		sum2, _, _, err := s.Put(ctx, bytes.NewReader(after), 1<<20)
		if err != nil || sum2 != sha256Hex(after) {
			t.Fatalf("put after restart: %s %v", sum2, err)
		}
		if keys := w.list("evidence", "restart/"); len(keys) != 2 {
			t.Fatalf("after restart the bucket holds %v under restart/, want 2 objects", keys)
		}
	})
}
