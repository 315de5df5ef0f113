package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// slowRequest sends the headers of a request announcing a 1 MB body and
// then only a few bytes of it, as a client stalling mid-upload does, and
// returns the connection.
func slowRequest(t *testing.T, addr, contentType string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 1000000\r\n\r\nabc", contentType)
	return conn
}

// The deadlines are per kind of request: a stalled upload is cut at
// --upload-timeout, a stalled other request at --read-timeout, and the
// handler sees os.ErrDeadlineExceeded, not a body that never ends.
func TestWithDeadlinesCutsStalledClients(t *testing.T) {
	t.Parallel()
	timeouts := serverTimeouts{header: time.Second, read: 100 * time.Millisecond, upload: 400 * time.Millisecond,
		write: time.Second, idle: time.Second}
	type outcome struct {
		elapsed time.Duration
		err     error
	}
	got := make(chan outcome, 1)
	srv := httptest.NewServer(withDeadlines(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, err := io.Copy(io.Discard, r.Body)
		got <- outcome{time.Since(start), err}
		http.Error(w, "timeout", http.StatusRequestTimeout)
	}), timeouts))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	for _, tc := range []struct {
		contentType string
		min, max    time.Duration
	}{
		{"multipart/form-data; boundary=x", timeouts.upload - 50*time.Millisecond, 10 * time.Second},
		{"application/json", 0, timeouts.upload - 50*time.Millisecond},
	} {
		conn := slowRequest(t, addr, tc.contentType)
		select {
		case o := <-got:
			if !errors.Is(o.err, os.ErrDeadlineExceeded) {
				t.Errorf("%s: body read ended with %v, want a deadline error", tc.contentType, o.err)
			}
			if o.elapsed < tc.min || o.elapsed > tc.max {
				t.Errorf("%s: cut after %v, want between %v and %v", tc.contentType, o.elapsed, tc.min, tc.max)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: a stalled request was not cut", tc.contentType)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if res, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
			res.Body.Close()
		}
	}
}

// sceval serve applies the flags: a stalled upload to the real evidence
// endpoint loses its connection at --upload-timeout instead of holding it.
func TestServeCutsStalledUpload(t *testing.T) {
	cfg := testServeConfig(t)
	cfg.timeouts.upload = 300 * time.Millisecond
	base, _, stop := startServe(t, cfg)
	defer stop()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /api/v1/submissions/1/entries/1.1.1/evidence HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 500000\r\n\r\n--b\r\n")
	conn.SetReadDeadline(time.Now().Add(20 * time.Second)) // a fail-safe, far beyond the limit
	_, err = io.Copy(io.Discard, conn)                     // until the server closes the connection
	if elapsed := time.Since(start); err != nil || elapsed > 15*time.Second {
		t.Fatalf("connection held for %v (%v); want it closed soon after %v", elapsed, err, cfg.timeouts.upload)
	}
}

func TestServeTimeoutFlags(t *testing.T) {
	t.Parallel()
	cmd := newServeCmd()
	if err := cmd.Flags().Parse([]string{"--upload-timeout", "30m"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SCEVAL_READ_TIMEOUT": "45s"}
	if err := applyEnv(cmd.Flags(), func(k string) (string, bool) { v, ok := env[k]; return v, ok }); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"upload-timeout": "30m0s", "read-timeout": "45s", "write-timeout": "10m0s",
		"idle-timeout": "2m0s", "header-timeout": "10s"} {
		if got := cmd.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %s, want %s", flag, got, want)
		}
	}
	bad := defaultTimeouts
	bad.read = 0
	if err := bad.validate(); err == nil || !strings.Contains(err.Error(), "--read-timeout") {
		t.Errorf("zero read timeout: %v", err)
	}
}
