package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

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
	// Region; empty asks the server (one extra request per bucket).
	Region string
	// Insecure uses plain HTTP (local MinIO); the default is HTTPS.
	Insecure bool
	// AccessKey and SecretKey; both empty means anonymous access.
	AccessKey, SecretKey string
	// StagingDir holds uploads while they are hashed and checked (the
	// key is their hash, known only at the end). Default os.TempDir().
	StagingDir string
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
// platform.BlobStore.
type S3 struct {
	client *minio.Client
	cfg    S3Config
	// staging is the directory of uploads in progress.
	staging string
}

var _ platform.BlobStore = (*S3)(nil)

// NewS3 returns a store on the configured bucket, which must exist.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	var creds *credentials.Credentials
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		creds = credentials.New(&credentials.Static{}) // anonymous
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{Creds: creds, Secure: !cfg.Insecure, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("blob store s3://%s: %w", cfg.Bucket, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob store s3://%s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("blob store s3://%s at %s: the bucket does not exist", cfg.Bucket, cfg.Endpoint)
	}
	dir := cfg.StagingDir
	if dir == "" {
		dir = os.TempDir()
	}
	staging := filepath.Join(dir, "sceval-s3-staging")
	if err := os.MkdirAll(staging, 0o750); err != nil {
		return nil, fmt.Errorf("blob store staging %s: %w", staging, err)
	}
	sweepStaging(staging)
	return &S3{client: client, cfg: cfg, staging: staging}, nil
}

// key returns the object key of a hash.
func (s *S3) key(sum string) string { return s.cfg.Prefix + sum[:2] + "/" + sum[2:4] + "/" + sum }

// Put stages r on local disk (hashing it and enforcing maxSize while
// streaming, as FS does), then uploads it unless the bucket already holds
// that content, and removes the staged copy.
func (s *S3) Put(ctx context.Context, r io.Reader, maxSize int64) (string, int64, string, error) {
	up, err := receive(ctx, s.staging, r, maxSize)
	if err != nil {
		return "", 0, "", err
	}
	defer up.discard()
	sum, size, ctype := up.sum, up.size, up.ctype
	if _, err := s.client.StatObject(ctx, s.cfg.Bucket, s.key(sum), minio.StatObjectOptions{}); err == nil {
		return sum, size, ctype, nil // deduplicated
	} else if minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return "", 0, "", fmt.Errorf("blob store: look up %s: %w", sum, err)
	}
	f, err := os.Open(up.tmp)
	if err != nil {
		return "", 0, "", fmt.Errorf("blob store: %w", err)
	}
	defer f.Close()
	_, err = s.client.PutObject(ctx, s.cfg.Bucket, s.key(sum), f, size, minio.PutObjectOptions{ContentType: ctype})
	if err != nil {
		return "", 0, "", fmt.Errorf("blob store: upload %s: %w", sum, err)
	}
	return sum, size, ctype, nil
}

// Open returns the content with the given hash (kind NotFound if absent).
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, platform.Errorf(platform.Invalid, platform.CodeBadValue, "%q is not a hex SHA-256", sum)
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.key(sum), minio.GetObjectOptions{})
	if err == nil {
		_, err = obj.Stat() // GetObject is lazy: make a missing key fail here
	}
	if err != nil {
		if obj != nil {
			obj.Close()
		}
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey || errors.Is(err, os.ErrNotExist) {
			return nil, platform.NotFoundf("blob %s is not stored", sum)
		}
		return nil, fmt.Errorf("blob store: open %s: %w", sum, err)
	}
	return obj, nil
}
