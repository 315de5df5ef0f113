package web

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// countingBody is a long request body (a multipart file part's head, then
// "aaa…") that counts what the server read.
type countingBody struct {
	read  atomic.Int64
	limit int64
	head  string
}

func (c *countingBody) Read(p []byte) (int, error) {
	n := c.read.Load()
	if n >= c.limit {
		return 0, io.EOF
	}
	for i := range p {
		if j := n + int64(i); j < int64(len(c.head)) {
			p[i] = c.head[j]
		} else {
			p[i] = 'a'
		}
	}
	c.read.Add(int64(len(p)))
	return len(p), nil
}

// filePartHead opens a multipart body with boundary x on a file part.
const filePartHead = "--x\r\nContent-Disposition: form-data; name=\"username\"; filename=\"u.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"

// A huge body sent to the login and setup forms (as multipart, which
// net/http would spool to disk) or to a JSON operation is cut off near the
// route's limit: the server answers without reading it all, never 2xx or
// 5xx.
func TestEveryBodyIsLimited(t *testing.T) {
	e := newTestEnv(t, envOptions{})
	const sent = 256 << 20
	cases := []struct {
		method, path, ctype string
		within              int64 // most the server may read, socket buffers included
	}{
		{http.MethodPost, "/login", "multipart/form-data; boundary=x", maxCredentialsBody + 8<<20},
		{http.MethodPost, "/login", "application/x-www-form-urlencoded", maxCredentialsBody + 8<<20},
		{http.MethodPost, "/setup", "multipart/form-data; boundary=x", maxCredentialsBody + 8<<20},
		{http.MethodPost, apiPrefix + "/pilots", "application/json", maxFormBody + 8<<20},
		{http.MethodPost, apiPrefix + "/cycles", "application/json", maxFormBody + 8<<20},
		{http.MethodPost, "/no-such-page", "multipart/form-data; boundary=x", DefaultMaxUpload + uploadOverhead + 8<<20},
	}
	for _, c := range cases {
		t.Run(c.ctype+" "+c.path, func(t *testing.T) {
			body := &countingBody{limit: sent, head: filePartHead}
			req, err := http.NewRequest(c.method, e.http.URL+c.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = sent
			req.Header.Set("Content-Type", c.ctype)
			req.Header.Set("Authorization", e.auth)
			res, err := e.http.Client().Do(req)
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode < 400 || res.StatusCode >= 500 {
					t.Errorf("status %d", res.StatusCode)
				}
			} else if !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "broken pipe") && !strings.Contains(err.Error(), "EOF") {
				t.Errorf("request: %v", err)
			}
			if n := body.read.Load(); n > c.within {
				t.Errorf("the server read %d MiB of %d MiB (limit about %d MiB)", n>>20, sent>>20, c.within>>20)
			}
		})
	}
}
