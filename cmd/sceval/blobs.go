package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
)

// blobConfig says where evidence files go: spec is --blobs (empty: the file
// store under dataDir; s3://…: an S3-compatible bucket).
type blobConfig struct {
	spec    string
	dataDir string
	// lookup reads the environment (os.LookupEnv; tests replace it).
	lookup func(string) (string, bool)
}

// The environment variables with the S3 credentials: sceval's own pair
// first, else the standard AWS pair.
var s3CredentialEnvs = [][2]string{
	{"SCEVAL_S3_ACCESS_KEY", "SCEVAL_S3_SECRET_KEY"},
	{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
}

// openBlobs opens the evidence store cfg names and describes it for the log.
func openBlobs(ctx context.Context, cfg blobConfig) (platform.BlobStore, string, error) {
	spec := strings.TrimSpace(cfg.spec)
	if spec == "" {
		fs, err := blob.NewFS(cfg.dataDir)
		if err != nil {
			return nil, "", fmt.Errorf("open data directory %s: %w", cfg.dataDir, err)
		}
		return fs, "files under " + cfg.dataDir, nil
	}
	if !strings.HasPrefix(spec, "s3://") {
		return nil, "", fmt.Errorf("--blobs %q: want empty (files under --data-dir) or s3://bucket/prefix?endpoint=host:port[&region=r][&insecure=1]", spec)
	}
	s3cfg, err := blob.ParseS3URL(spec)
	if err != nil {
		return nil, "", fmt.Errorf("--blobs: %w", err)
	}
	if s3cfg.AccessKey, s3cfg.SecretKey, err = s3Credentials(cfg.lookup); err != nil {
		return nil, "", fmt.Errorf("--blobs %s: %w", spec, err)
	}
	// Uploads are staged (hashed, size-checked, sniffed) on local disk
	// before they go to the bucket: keep them beside the data directory
	// rather than in a possibly small /tmp.
	s3cfg.StagingDir = cfg.dataDir
	s3, err := blob.NewS3(ctx, s3cfg)
	if err != nil {
		return nil, "", err
	}
	return s3, "s3://" + s3cfg.Bucket + "/" + s3cfg.Prefix + " at " + s3cfg.Endpoint, nil
}

// s3Credentials returns the first credential pair of which a variable is
// set; a pair with only one half set is a mistake worth stopping for. None
// set means anonymous access.
func s3Credentials(lookup func(string) (string, bool)) (access, secret string, err error) {
	for _, pair := range s3CredentialEnvs {
		a, _ := lookup(pair[0])
		s, _ := lookup(pair[1])
		switch {
		case a == "" && s == "":
			continue
		case a == "" || s == "":
			return "", "", fmt.Errorf("set both %s and %s, or neither", pair[0], pair[1])
		}
		return a, s, nil
	}
	return "", "", nil
}
