package blob

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// S3Config names an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS
// in S3 mode).
type S3Config struct {
	// Endpoint is host[:port], e.g. "s3.cn-north-1.amazonaws.com.cn" or
	// "127.0.0.1:9000".
	Endpoint string
	Bucket   string
	// Prefix is prepended to every key, e.g. "evidence/".
	Prefix string
	// Region; empty asks the server (one request when the store opens;
	// us-east-1 if the server names none, as MinIO's default).
	Region string
	// Insecure uses plain HTTP (local MinIO); the default is HTTPS.
	Insecure bool
	// AccessKey and SecretKey; both empty means anonymous access.
	AccessKey, SecretKey string
	// StagingDir holds uploads while they are hashed and checked (the
	// key is their hash, known only at the end). Default os.TempDir().
	StagingDir string
	// ResponseTimeout bounds the wait for a server's answer once a request
	// (with an upload's whole body) is sent; default 60 s. A server that
	// accepts connections but never answers would otherwise hold an upload
	// or a download for as long as the caller's context allows, which for
	// a server's background work is forever. Connecting is bounded by 10 s.
	ResponseTimeout time.Duration
}

// ParseS3URL reads a configuration from a URL of the form
// s3://bucket/prefix?endpoint=host:port&region=r&insecure=true. Credentials
// are not part of the URL: set AccessKey and SecretKey from the
// environment.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("blob store URL %q: want s3://bucket/prefix?endpoint=host:port", raw)
	}
	q := u.Query()
	cfg := S3Config{Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/"), Endpoint: q.Get("endpoint"),
		Region: q.Get("region"), Insecure: q.Get("insecure") == "true" || q.Get("insecure") == "1"}
	if cfg.Endpoint == "" {
		return S3Config{}, fmt.Errorf("blob store URL %q: the endpoint parameter is required", raw)
	}
	if cfg.Prefix != "" && !strings.HasSuffix(cfg.Prefix, "/") {
		cfg.Prefix += "/"
	}
	return cfg, nil
}

// S3 is a content-addressed blob store in an S3-compatible bucket, with the
// same key layout as FS (<prefix>ab/cd/abcd…). It implements
// platform.BlobStore. It speaks the four requests it needs (HEAD bucket,
// HEAD, GET and PUT object, path-style) over net/http with Signature
// Version 4, rather than through an S3 SDK whose package initialisation
// every sceval command would pay for at start-up (BENCHMARKS.md).
type S3 struct {
	client *http.Client
	cfg    S3Config
	base   string // scheme://endpoint
	sign   signer
	// staging is the directory of uploads in progress.
	staging string
}

var _ platform.BlobStore = (*S3)(nil)

// NewS3 returns a store on the configured bucket, which must exist.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	scheme := "https"
	if cfg.Insecure {
		scheme = "http"
	}
	s := &S3{client: &http.Client{Transport: s3Transport(cfg.ResponseTimeout)}, cfg: cfg, base: scheme + "://" + cfg.Endpoint,
		sign: signer{accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, region: cfg.Region}}
	if s.sign.region == "" {
		region, err := s.bucketRegion(ctx)
		if err != nil {
			return nil, fmt.Errorf("blob store s3://%s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
		}
		s.sign.region = region
	}
	res, err := s.do(ctx, http.MethodHead, "", "", emptySHA256, 0, "")
	if err != nil {
		return nil, fmt.Errorf("blob store s3://%s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("blob store s3://%s at %s: the bucket does not exist", cfg.Bucket, cfg.Endpoint)
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("blob store s3://%s at %s: %s%s", cfg.Bucket, cfg.Endpoint, res.Status, s.headFailure(ctx))
	}
	dir := cfg.StagingDir
	if dir == "" {
		dir = os.TempDir()
	}
	s.staging = filepath.Join(dir, "sceval-s3-staging")
	if err := os.MkdirAll(s.staging, 0o750); err != nil {
		return nil, fmt.Errorf("blob store staging %s: %w", s.staging, err)
	}
	sweepStaging(s.staging)
	return s, nil
}

// s3Transport is the default transport with bounded waits: 10 s to connect
// and for the TLS handshake, responseTimeout (default 60 s) for the
// response's headers after the request is sent. A download's body is bounded
// by the caller's context only: its length is the file's.
func s3Transport(responseTimeout time.Duration) *http.Transport {
	if responseTimeout <= 0 {
		responseTimeout = 60 * time.Second
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = responseTimeout
	return t
}

// bucketRegion asks the server where the bucket is (GetBucketLocation,
// which AWS answers for a request signed for us-east-1).
func (s *S3) bucketRegion(ctx context.Context) (string, error) {
	s.sign.region = "us-east-1"
	res, err := s.do(ctx, http.MethodGet, "", "location", emptySHA256, 0, "")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "us-east-1", nil // not supported or not allowed: the common default
	}
	var loc struct {
		Region string `xml:",chardata"`
	}
	if err := xml.NewDecoder(io.LimitReader(res.Body, 1<<12)).Decode(&loc); err != nil || strings.TrimSpace(loc.Region) == "" {
		return "us-east-1", nil
	}
	return strings.TrimSpace(loc.Region), nil
}

// do sends one signed request for key (the bucket itself when key is ""),
// with an optional raw query ("location").
func (s *S3) do(ctx context.Context, method, key, rawQuery, payloadHash string, size int64, ctype string, body ...io.Reader) (*http.Response, error) {
	u := s.base + "/" + awsURIEscape(s.cfg.Bucket)
	if key != "" {
		u += "/" + awsURIEscape(key)
	}
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	var r io.Reader
	if len(body) > 0 {
		r = body[0]
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, err
	}
	if r != nil {
		req.ContentLength = size
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	s.sign.sign(req, payloadHash, time.Now())
	return s.client.Do(req)
}

// key returns the object key of a hash.
func (s *S3) key(sum string) string { return s.cfg.Prefix + sum[:2] + "/" + sum[2:4] + "/" + sum }

// Put stages r on local disk (hashing it and enforcing maxSize while
// streaming, as FS does), then uploads it unless the bucket already holds
// that content, and removes the staged copy. The payload is signed with its
// SHA-256, which is the blob's name.
func (s *S3) Put(ctx context.Context, r io.Reader, maxSize int64) (string, int64, string, error) {
	up, err := receive(ctx, s.staging, r, maxSize)
	if err != nil {
		return "", 0, "", err
	}
	defer up.discard()
	sum, size, ctype := up.sum, up.size, up.ctype
	res, err := s.do(ctx, http.MethodHead, s.key(sum), "", emptySHA256, 0, "")
	if err != nil {
		return "", 0, "", fmt.Errorf("blob store: look up %s: %w", sum, err)
	}
	res.Body.Close()
	switch res.StatusCode {
	case http.StatusOK:
		return sum, size, ctype, nil // deduplicated
	case http.StatusNotFound:
	default:
		return "", 0, "", fmt.Errorf("blob store: look up %s: %s%s", sum, res.Status, s.headFailure(ctx))
	}
	if _, err := up.f.Seek(0, io.SeekStart); err != nil {
		return "", 0, "", fmt.Errorf("blob store: %w", err)
	}
	res, err = s.do(ctx, http.MethodPut, s.key(sum), "", sum, size, ctype, io.NopCloser(up.f))
	if err != nil {
		return "", 0, "", fmt.Errorf("blob store: upload %s: %w", sum, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", 0, "", fmt.Errorf("blob store: upload %s: %s%s", sum, res.Status, s3ErrorCode(res.Body))
	}
	return sum, size, ctype, nil
}

// Open returns the content with the given hash (kind NotFound if absent).
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, platform.Errorf(platform.Invalid, platform.CodeBadValue, "%q is not a hex SHA-256", sum)
	}
	res, err := s.do(ctx, http.MethodGet, s.key(sum), "", emptySHA256, 0, "")
	if err != nil {
		return nil, fmt.Errorf("blob store: open %s: %w", sum, err)
	}
	switch res.StatusCode {
	case http.StatusOK:
		return res.Body, nil
	case http.StatusNotFound:
		res.Body.Close()
		return nil, platform.NotFoundf("blob %s is not stored", sum)
	}
	defer res.Body.Close()
	return nil, fmt.Errorf("blob store: open %s: %s%s", sum, res.Status, s3ErrorCode(res.Body))
}

// headFailure explains a failed HEAD request. A response to HEAD has no
// body, so it cannot carry the S3 error code that says why (a 403 may be
// SignatureDoesNotMatch — a wrong secret key —, InvalidAccessKeyId or
// AccessDenied); the same credentials are tried on GET Bucket location,
// whose error document does. Empty if that request succeeds or says
// nothing.
func (s *S3) headFailure(ctx context.Context) string {
	res, err := s.do(ctx, http.MethodGet, "", "location", emptySHA256, 0, "")
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK {
		return ""
	}
	return s3ErrorCode(res.Body)
}

// s3ErrorCode extracts " (Code: message)" from an S3 error document.
func s3ErrorCode(body io.Reader) string {
	var e struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if err := xml.NewDecoder(io.LimitReader(body, 1<<14)).Decode(&e); err != nil || e.Code == "" {
		return ""
	}
	return " (" + e.Code + ": " + e.Message + ")"
}
