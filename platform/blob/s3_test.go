package blob_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
)

// fakeS3 is the part of the S3 REST API the S3 store uses (HEAD bucket,
// HEAD/GET/PUT object, path-style), holding objects in memory.
type fakeS3 struct {
	mu      sync.Mutex
	bucket  string
	objects map[string][]byte
	puts    int
	// auth and payload are the last PUT's Authorization and
	// X-Amz-Content-Sha256 headers.
	auth, payload string
	// refuse, when set, is the error code of a 403 answer to every
	// request, as a server gives for a wrong secret key.
	refuse string
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if bucket != f.bucket {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse != "" {
		// net/http sends no body in the answer to a HEAD request.
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>`+f.refuse+`</Code><Message>refused</Message></Error>`)
		return
	}
	if key == "" { // bucket requests
		w.WriteHeader(http.StatusOK)
		return
	}
	switch r.Method {
	case http.MethodPut:
		body, err := readPayload(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.objects[key] = body
		f.puts++
		f.auth, f.payload = r.Header.Get("Authorization"), r.Header.Get("X-Amz-Content-Sha256")
		w.Header().Set("ETag", `"`+strconv.Itoa(len(body))+`"`)
	case http.MethodHead, http.MethodGet:
		body, ok := f.objects[key]
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			if r.Method == http.MethodGet {
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>missing</Message></Error>`)
			}
			return
		}
		w.Header().Set("ETag", `"`+strconv.Itoa(len(body))+`"`)
		w.Header().Set("Last-Modified", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat))
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodGet {
			w.Write(body)
		}
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// readPayload reads a PUT body, decoding the aws-chunked encoding of
// streaming signatures ("<hex size>;chunk-signature=…\r\n<data>\r\n").
func readPayload(r *http.Request) ([]byte, error) {
	if !strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING") {
		return io.ReadAll(r.Body)
	}
	var out bytes.Buffer
	br := bufio.NewReader(r.Body)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		sizeHex, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return out.Bytes(), nil
		}
		if _, err := io.CopyN(&out, br, n); err != nil {
			return nil, err
		}
		br.ReadString('\n')
	}
}

func TestS3PutOpenDedupe(t *testing.T) {
	ctx := context.Background()
	fake := &fakeS3{bucket: "evidence", objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg, err := blob.ParseS3URL("s3://evidence/sceval?endpoint=" + strings.TrimPrefix(srv.URL, "http://") + "&region=cn-north-1&insecure=true")
	if err != nil {
		t.Fatal(err)
	}
	cfg.AccessKey, cfg.SecretKey, cfg.StagingDir = "key", "secret", t.TempDir()
	s, err := blob.NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // SHA-256("abc"), FIPS 180-2 B.1
	for range 2 {
		sum, n, _, err := s.Put(ctx, strings.NewReader("abc"), 10)
		if err != nil || sum != abc || n != 3 {
			t.Fatalf("put: %s %d %v", sum, n, err)
		}
	}
	if _, ok := fake.objects["sceval/ba/78/"+abc]; !ok || fake.puts != 1 {
		t.Fatalf("objects %v after %d PUTs, want one under sceval/ba/78/", keys(fake.objects), fake.puts)
	}
	// Signed (SigV4) with the content's SHA-256 as the payload hash.
	if fake.payload != abc || !strings.HasPrefix(fake.auth, "AWS4-HMAC-SHA256 Credential=key/") ||
		!strings.Contains(fake.auth, "/cn-north-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=") {
		t.Errorf("PUT signed as %q with payload %q", fake.auth, fake.payload)
	}
	rc, err := s.Open(ctx, abc)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "abc" {
		t.Fatalf("content %q", got)
	}
	_, err = s.Open(ctx, strings.Repeat("1", 64))
	if platform.ErrorKindOf(err) != platform.NotFound {
		t.Fatalf("missing object: %v", err)
	}
	_, _, _, err = s.Put(ctx, &endless{}, 1<<16)
	if platform.ErrorKindOf(err) != platform.TooLarge || fake.puts != 1 {
		t.Fatalf("too large: %v after %d PUTs", err, fake.puts)
	}
}

// A refused HEAD request's answer has no body; the store's error still
// names the cause (found against SeaweedFS: a wrong secret key was reported
// as a bare "403 Forbidden").
func TestS3RefusalNamesTheCause(t *testing.T) {
	ctx := context.Background()
	fake := &fakeS3{bucket: "evidence", objects: map[string][]byte{}, refuse: "SignatureDoesNotMatch"}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := blob.S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Bucket: "evidence", Region: "us-east-1",
		Insecure: true, AccessKey: "key", SecretKey: "wrong", StagingDir: t.TempDir()}
	_, err := blob.NewS3(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "s3://evidence") || !strings.Contains(err.Error(), "403 Forbidden (SignatureDoesNotMatch: refused)") {
		t.Fatalf("NewS3 refused: %v", err)
	}
	// The same for an upload's lookup when the keys stop working later.
	fake.mu.Lock()
	fake.refuse = ""
	fake.mu.Unlock()
	s, err := blob.NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	fake.refuse = "InvalidAccessKeyId"
	fake.mu.Unlock()
	_, _, _, err = s.Put(ctx, strings.NewReader("abc"), 10)
	if err == nil || !strings.Contains(err.Error(), "look up ba7816bf") || !strings.Contains(err.Error(), "(InvalidAccessKeyId: refused)") {
		t.Fatalf("put refused: %v", err)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestParseS3URL(t *testing.T) {
	cfg, err := blob.ParseS3URL("s3://b/p/q?endpoint=minio:9000&region=r")
	if err != nil || cfg.Bucket != "b" || cfg.Prefix != "p/q/" || cfg.Endpoint != "minio:9000" || cfg.Region != "r" || cfg.Insecure {
		t.Fatalf("%+v, %v", cfg, err)
	}
	for _, bad := range []string{"http://b", "s3://b", "s3:///x?endpoint=e"} {
		if _, err := blob.ParseS3URL(bad); err == nil {
			t.Errorf("ParseS3URL(%q) succeeded", bad)
		}
	}
}

// TestS3ServerThatNeverAnswers: a server that accepts the connection and
// reads the request but never answers is given up on after
// ResponseTimeout, with an error naming the store, instead of holding the
// caller for as long as its context allows (no deadline in background
// work).
func TestS3ServerThatNeverAnswers(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-release
	}))
	defer srv.Close()
	defer close(release)
	// The context's deadline is only there to end the test quickly if the
	// timeout did not work (its error does not say "timeout").
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := blob.NewS3(ctx, blob.S3Config{Endpoint: strings.TrimPrefix(srv.URL, "http://"),
		Bucket: "evidence", Region: "us-east-1", Insecure: true, ResponseTimeout: 300 * time.Millisecond,
		StagingDir: t.TempDir()})
	if err == nil {
		t.Fatal("NewS3 against a server that never answers succeeded")
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("gave up after %v, want about the 300 ms timeout", elapsed)
	}
	if !strings.Contains(err.Error(), "s3://evidence") || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("error %q should name the store and the timeout", err)
	}
}
