package blob

import (
	"net/http"
	"testing"
	"time"
)

// TestSignAWSExample reproduces the GET Object example of "Signature
// Calculations for the Authorization Header: Transferring Payload in a
// Single Chunk (AWS Signature Version 4)", Amazon S3 API Reference: its
// published signature is the reference value.
func TestSignAWSExample(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Range", "bytes=0-9")
	s := signer{accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1"}
	s.sign(req, emptySHA256, time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC))
	want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
		"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n%s\nwant\n%s", got, want)
	}
}

func TestAWSEscape(t *testing.T) {
	for in, want := range map[string]string{"/b/证据/a b+c~.txt": "/b/%E8%AF%81%E6%8D%AE/a%20b%2Bc~.txt", "/x/y": "/x/y"} {
		if got := awsURIEscape(in); got != want {
			t.Errorf("awsURIEscape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := awsEscape("a/b=c", true); got != "a%2Fb%3Dc" {
		t.Errorf("query escape: %q", got)
	}
}
