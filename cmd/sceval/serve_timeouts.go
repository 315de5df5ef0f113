package main

import (
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/spf13/pflag"
)

// serverTimeouts bound how long a client may hold a connection, so that
// slow or stalled clients (an upload at one byte every few seconds) cannot
// pin connections and goroutines for ever.
type serverTimeouts struct {
	// header: to read a request's headers (http.Server.ReadHeaderTimeout).
	header time.Duration
	// read: to read a whole request other than an upload, from its start.
	read time.Duration
	// upload: to read a whole evidence upload (multipart/form-data body).
	upload time.Duration
	// write: from a request's start to the end of its response; uploads
	// get at least upload plus this (their response follows the body).
	write time.Duration
	// idle: to wait for the next request on a kept-alive connection.
	idle time.Duration
}

// The defaults let a normal upload finish: 50 MiB (the default
// --max-upload) in 10 minutes needs 87 KB/s, a slow mobile uplink; an
// evidence download of that size gets as long. A request without a file
// has a minute, which a JSON body of a few hundred kilobytes never needs.
var defaultTimeouts = serverTimeouts{
	header: 10 * time.Second,
	read:   time.Minute,
	upload: 10 * time.Minute,
	write:  10 * time.Minute,
	idle:   2 * time.Minute,
}

// addTimeoutFlags adds the timeout flags of serve.
func addTimeoutFlags(f *pflag.FlagSet, t *serverTimeouts) {
	*t = defaultTimeouts
	f.DurationVar(&t.header, "header-timeout", t.header, "longest time to read a request's headers")
	f.DurationVar(&t.read, "read-timeout", t.read, "longest time to read a request other than an upload")
	f.DurationVar(&t.upload, "upload-timeout", t.upload, "longest time to receive one evidence upload")
	f.DurationVar(&t.write, "write-timeout", t.write, "longest time from a request's start to the end of its response (uploads: after the upload)")
	f.DurationVar(&t.idle, "idle-timeout", t.idle, "longest wait for the next request on a kept-alive connection")
}

// validate refuses timeouts that would disable a bound or cut every request.
func (t serverTimeouts) validate() error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"header-timeout", t.header}, {"read-timeout", t.read}, {"upload-timeout", t.upload},
		{"write-timeout", t.write}, {"idle-timeout", t.idle}} {
		if d.v < time.Millisecond {
			return fmt.Errorf("--%s %v: want a positive duration such as 30s or 10m", d.flag, d.v)
		}
	}
	return nil
}

// withDeadlines sets each request's read and write deadlines on its
// connection: an upload gets --upload-timeout to arrive, anything else
// --read-timeout; the response must be written by the write deadline. The
// server's own ReadTimeout and WriteTimeout cannot tell an upload from other
// requests, so they stay unset and this handler, outermost, decides.
// A body read past its deadline fails with os.ErrDeadlineExceeded and the
// connection is closed after the handler's answer.
func withDeadlines(h http.Handler, t serverTimeouts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		read, write := t.read, t.write
		if isUpload(r) {
			read, write = t.upload, t.upload+t.write
		}
		rc := http.NewResponseController(w)
		// Errors mean the writer cannot take deadlines (not a net/http
		// connection, as in tests with a recorder): nothing to bound.
		_ = rc.SetReadDeadline(start.Add(read))
		_ = rc.SetWriteDeadline(start.Add(max(write, read)))
		h.ServeHTTP(w, r)
	})
}

// isUpload reports whether r sends a file: a POST or PUT with a
// multipart/form-data body, the form every evidence upload takes.
func isUpload(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}
