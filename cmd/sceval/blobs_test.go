package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform/blob"
)

// fakeBucket is the little of the S3 API the evidence store uses (HEAD
// bucket, bucket location, HEAD/GET/PUT object, path style), remembering the access keys
// that signed the requests.
type fakeBucket struct {
	mu      sync.Mutex
	name    string
	objects map[string][]byte
	keys    map[string]bool
}

func (f *fakeBucket) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, rest, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		key, _, _ := strings.Cut(rest, "/")
		f.keys[key] = true
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case bucket != f.name:
		w.WriteHeader(http.StatusNotFound)
	case key == "" && r.URL.Query().Has("location"): // region lookup, when the URL names none
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">cn-north-1</LocationConstraint>`)
	case key == "":
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodPut:
		body, _ := io.ReadAll(r.Body) // unsigned-payload or chunked; the test checks the key only
		f.objects[key] = body
		w.Header().Set("ETag", `"1"`)
	default:
		if _, ok := f.objects[key]; !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			if r.Method == http.MethodGet {
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>missing</Message></Error>`)
			}
			return
		}
		w.Header().Set("ETag", `"1"`)
		w.Header().Set("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
	}
}

func newFakeBucket(t *testing.T) (*fakeBucket, string) {
	f := &fakeBucket{name: "evidence", objects: map[string][]byte{}, keys: map[string]bool{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, strings.TrimPrefix(srv.URL, "http://")
}

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestOpenBlobsDefaultIsTheDataDir(t *testing.T) {
	dir := t.TempDir()
	store, where, err := openBlobs(context.Background(), blobConfig{dataDir: dir, lookup: env(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := store.(*blob.FS); !ok || where != "files under "+dir {
		t.Errorf("store %T, %q", store, where)
	}
}

func TestOpenBlobsS3(t *testing.T) {
	fake, endpoint := newFakeBucket(t)
	ctx := context.Background()
	spec := "s3://evidence/sceval?endpoint=" + endpoint + "&region=cn-north-1&insecure=1"
	for _, tc := range []struct {
		env     map[string]string
		wantKey string
	}{
		{map[string]string{"SCEVAL_S3_ACCESS_KEY": "own", "SCEVAL_S3_SECRET_KEY": "s", "AWS_ACCESS_KEY_ID": "aws", "AWS_SECRET_ACCESS_KEY": "s"}, "own"},
		{map[string]string{"AWS_ACCESS_KEY_ID": "aws", "AWS_SECRET_ACCESS_KEY": "s"}, "aws"},
	} {
		store, where, err := openBlobs(ctx, blobConfig{spec: spec, dataDir: t.TempDir(), lookup: env(tc.env)})
		if err != nil {
			t.Fatal(err)
		}
		if where != "s3://evidence/sceval/ at "+endpoint {
			t.Errorf("where = %q", where)
		}
		sum, _, _, err := store.Put(ctx, strings.NewReader("%PDF-1.4 "+tc.wantKey), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		fake.mu.Lock()
		_, stored := fake.objects["sceval/"+sum[:2]+"/"+sum[2:4]+"/"+sum]
		signed := fake.keys[tc.wantKey]
		fake.mu.Unlock()
		if !stored || !signed {
			t.Errorf("credentials %v: object stored %v, signed with %q %v", tc.env, stored, tc.wantKey, signed)
		}
	}
}

func TestOpenBlobsRejectsBadConfig(t *testing.T) {
	_, endpoint := newFakeBucket(t)
	ctx := context.Background()
	for spec, want := range map[string]string{
		"ftp://evidence":               "want empty (files under --data-dir) or s3://",
		"/srv/evidence":                "want empty (files under --data-dir) or s3://",
		"s3://evidence/x":              "the endpoint parameter is required",
		"s3:///x?endpoint=" + endpoint: "want s3://bucket/prefix",
		"s3://missing/x?insecure=1&endpoint=" + endpoint: "does not exist",
	} {
		_, _, err := openBlobs(ctx, blobConfig{spec: spec, dataDir: t.TempDir(), lookup: env(nil)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--blobs %s: %v, want %q", spec, err, want)
		}
	}
	_, _, err := openBlobs(ctx, blobConfig{spec: "s3://evidence/x?insecure=1&endpoint=" + endpoint, dataDir: t.TempDir(),
		lookup: env(map[string]string{"AWS_ACCESS_KEY_ID": "aws"})})
	if err == nil || !strings.Contains(err.Error(), "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") {
		t.Errorf("half a credential pair: %v", err)
	}
}

func TestServeWithS3Blobs(t *testing.T) {
	_, endpoint := newFakeBucket(t)
	cfg := testServeConfig(t)
	cfg.demo = false
	cfg.blobs = "s3://evidence/sceval?insecure=1&endpoint=" + endpoint
	cfg.lookupEnv = env(map[string]string{"SCEVAL_S3_ACCESS_KEY": "k", "SCEVAL_S3_SECRET_KEY": "s"})
	base, _, stop := startServe(t, cfg)
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := stop(); err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz %d, stop: %v", res.StatusCode, err)
	}
	cfg.blobs = "s3://evidence"
	if err := serve(context.Background(), cfg, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--blobs") {
		t.Errorf("bad --blobs: %v", err)
	}
}
