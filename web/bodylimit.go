package web

import (
	"mime"
	"net/http"
)

// Request body limits applied to every request before any handler reads
// it. huma's operations have their own, smaller, limits (1 MiB unless the
// operation says otherwise) and the evidence upload its own; this bound is
// for everything else — the login and setup forms and the pages' form
// posts — which net/http would otherwise spool to disk without limit when
// sent as multipart/form-data (Request.ParseMultipartForm keeps 32 MiB in
// memory and writes the rest to temporary files).
const (
	// maxCredentialsBody bounds the login and setup forms: a few fields.
	maxCredentialsBody = 64 << 10
	// maxFormBody bounds any other body that is not a file upload (the
	// largest JSON operation, the pilot import, takes 16 MiB).
	maxFormBody = 16 << 20
)

// limitBodies wraps every request body in http.MaxBytesReader with the
// request's limit (bodyLimit): reading past it fails and the connection is
// closed after the response, so a client cannot make the server read (or
// store) more.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r))
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimit is the most bytes the body of r may have: the credentials
// forms get maxCredentialsBody, a multipart body (an upload) the upload
// limit plus its envelope, anything else maxFormBody.
func (s *Server) bodyLimit(r *http.Request) int64 {
	switch r.URL.Path {
	case "/login", "/setup":
		return maxCredentialsBody
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		return max(s.opts.MaxUpload, maxFormBody) + uploadOverhead
	}
	return maxFormBody
}
