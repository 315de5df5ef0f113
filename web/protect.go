package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// contentSecurityPolicy allows the pages' own scripts, styles and images
// only: no inline script, no framing (frame-ancestors 'none'), forms posting
// to sceval only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// protect wraps the whole server: it answers 421 to a Host outside the
// allow-list (DNS rebinding), sets the security headers on every response,
// and refuses cross-origin state-changing requests from browsers
// (http.CrossOriginProtection: Sec-Fetch-Site, else Origin against Host).
func (s *Server) protect(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, newError(http.StatusForbidden, "cross_origin", "",
			"cross-origin request refused: "+r.Method+" "+r.URL.Path+" must come from sceval's own pages"))
	}))
	guarded := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
			h.Set("Cache-Control", "no-store")
		}
		// Probes come from orchestrators that address the pod or host by
		// IP; they reveal nothing, so they answer for any Host.
		if probe := r.URL.Path == "/healthz" || r.URL.Path == "/readyz"; !probe && !s.hostAllowed(r.Host) {
			writeJSONError(w, newError(http.StatusMisdirectedRequest, "unknown_host", "",
				"this server does not answer for host "+truncate(r.Host, 100)+" (see --public-url)"))
			return
		}
		guarded.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether host (with or without port) is one of the
// server's names: the loopback names always, plus the hosts of the public
// URL and of Options.AllowedHosts.
func (s *Server) hostAllowed(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.ToLower(strings.Trim(name, "[]"))
	if name == "localhost" {
		return true
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, a := range s.allowedHosts {
		if a == "*" || a == name {
			return true
		}
	}
	return false
}

// allowedHostNames lists the host names of the options, lower-cased.
func allowedHostNames(o Options) []string {
	var out []string
	if o.PublicURL != "" {
		if u, err := url.Parse(o.PublicURL); err == nil && u.Hostname() != "" {
			out = append(out, strings.ToLower(u.Hostname()))
		}
	}
	for _, h := range o.AllowedHosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			if n, _, err := net.SplitHostPort(h); err == nil {
				h = n
			}
			out = append(out, strings.Trim(h, "[]"))
		}
	}
	return out
}

// truncate bounds a client-supplied string echoed in a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
