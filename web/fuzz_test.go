package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
)

// The fuzz targets of the HTTP surface drive the whole handler (server.
// Handler(): host check, body limits, authentication, huma, the service,
// SQLite) in process. Whatever the input, the server must answer — no
// panic (which the recovery middleware would turn into a 500), no 5xx — and
// a forged credential must never authenticate. Seeds are in
// testdata/fuzz/FuzzXxx besides the f.Add calls.

// fuzzServer is a server on a fresh SQLite store with an open cycle, a
// pilot, its submission and an administrator.
type fuzzServer struct {
	h          http.Handler
	auth       string // the administrator's "Bearer …"
	sub, cycle int64
	pilot      int64
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "setup", Roles: []string{"admin"}})
	dir := f.TempDir()
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "fuzz.db"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		f.Fatal(err)
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		f.Fatal(err)
	}
	regions, err := testRegions()
	if err != nil {
		f.Fatal(err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{Regions: regions, MaxEvidenceSize: 1 << 20})
	s := NewServer(svc, regions, BuiltinFrameworks{}, store, nil, Options{MaxUpload: 1 << 20, Version: "fuzz"})
	if _, err := svc.CreateUser(ctx, platform.NewUser{Username: "fuzz-admin", Role: platform.RoleAdmin, Password: testPassword}); err != nil {
		f.Fatal(err)
	}
	_, secret, err := svc.CreateToken(ctx, "fuzz-admin", "fuzz", 0)
	if err != nil {
		f.Fatal(err)
	}
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013", Type: platform.PilotCity})
	if err != nil {
		f.Fatal(err)
	}
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2014 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "mohurd-2012"})
	if err != nil {
		f.Fatal(err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		f.Fatal(err)
	}
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		f.Fatal(err)
	}
	return &fuzzServer{h: s.Handler(), auth: "Bearer " + secret, sub: sub.ID, cycle: c.ID, pilot: p.ID}
}

// serve runs one request through the handler and fails on a 5xx.
func (fs *fuzzServer) serve(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	req.Host = "127.0.0.1"
	rec := httptest.NewRecorder()
	fs.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: status %d: %s", req.Method, req.URL, rec.Code, rec.Body.String())
	}
	return rec
}

// writeRoutes are the main write operations, with ids of the fixture.
func (fs *fuzzServer) writeRoutes() [][2]string {
	sub, cyc, pil := fmt.Sprint(fs.sub), fmt.Sprint(fs.cycle), fmt.Sprint(fs.pilot)
	return [][2]string{
		{"POST", "/api/v1/pilots"},
		{"PUT", "/api/v1/pilots/" + pil},
		{"PATCH", "/api/v1/pilots/" + pil},
		{"POST", "/api/v1/cycles"},
		{"PUT", "/api/v1/cycles/" + cyc},
		{"PATCH", "/api/v1/cycles/" + cyc},
		{"POST", "/api/v1/cycles/" + cyc + "/transition"},
		{"POST", "/api/v1/cycles/" + cyc + "/submissions"},
		{"PUT", "/api/v1/submissions/" + sub + "/entries/1.1.1"},
		{"PUT", "/api/v1/submissions/" + sub + "/entries/1.2.1"},
		{"POST", "/api/v1/submissions/" + sub + "/transition"},
		{"POST", "/api/v1/experts"},
		{"PUT", "/api/v1/cycles/" + cyc + "/review-settings"},
		{"POST", "/api/v1/auth/login"},
		{"POST", "/api/v1/me/tokens"},
		{"POST", "/api/v1/me/password"},
	}
}

// FuzzAPIWriteBodies sends any body to the main write operations.
func FuzzAPIWriteBodies(f *testing.F) {
	for i, body := range []string{
		`{"region_code":"130200","name":"唐山市","batch":"2013","type":"city"}`,
		`{"name":"x","kind":"annual_monitoring","year":2015,"framework_id":"mohurd-2012"}`,
		`{"value":12.5,"narrative":"<b>说明</b>","version":0}`,
		`{"level":3,"version":0}`,
		`{"to":"submitted","version":1}`,
		`{"username":"fuzz-admin","password":"x"}`,
		`{"value":1e308,"level":-9223372036854775808,"version":18446744073709551616}`,
		`[]`, `null`, `{"a":` + strings.Repeat("[", 10000), "\xff\xfe{}",
	} {
		f.Add(uint8(i), []byte(body))
	}
	fs := newFuzzServer(f)
	routes := fs.writeRoutes()
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := routes[int(route)%len(routes)]
		req := httptest.NewRequest(r[0], r[1], bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", fs.auth)
		fs.serve(t, req)
	})
}

// FuzzEvidenceUpload sends any multipart body (and content type) to the
// evidence upload.
func FuzzEvidenceUpload(f *testing.F) {
	pdfPart := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"规划.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--b--\r\n"
	f.Add("multipart/form-data; boundary=b", []byte(pdfPart))
	f.Add("multipart/form-data; boundary=b", []byte(strings.Replace(pdfPart, "规划.pdf", "../../x.html", 1)))
	f.Add("multipart/form-data; boundary=b", []byte(strings.Replace(pdfPart, "%PDF-1.4", "GIF89a<script>", 1)))
	f.Add("multipart/form-data; boundary=", []byte("--\r\n"))
	f.Add("multipart/mixed; boundary=b", []byte(pdfPart))
	f.Add("text/plain", []byte("%PDF-1.4"))
	fs := newFuzzServer(f)
	path := fmt.Sprintf("/api/v1/submissions/%d/entries/1.1.1/evidence", fs.sub)
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", fs.auth)
		fs.serve(t, req)
	})
}

// FuzzQueryParameters sends any query string to the list and read
// operations and the pages.
func FuzzQueryParameters(f *testing.F) {
	for _, q := range []string{"limit=10&offset=0", "limit=-1", "limit=99999999999999999999", "province=江苏&q=%25",
		"sort=name&order=desc", "lang=en", "from=2024-01-01&to=2023-01-01", "state=draft&state=x", "q=%ff%fe", "limit=1e3"} {
		f.Add(uint8(0), q)
	}
	fs := newFuzzServer(f)
	paths := []string{"/api/v1/pilots", "/api/v1/cycles", "/api/v1/submissions", fmt.Sprintf("/api/v1/cycles/%d/results", fs.cycle),
		"/api/v1/regions", "/api/v1/audit", "/api/v1/experts", "/api/v1/frameworks/mohurd-2012/indicators", "/api/v1/reviews",
		"/", fmt.Sprintf("/cycles/%d", fs.cycle), fmt.Sprintf("/pilots/%d", fs.pilot), "/frameworks/mohurd-2012"}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		p := paths[int(which)%len(paths)]
		req, err := http.NewRequest("GET", "http://127.0.0.1"+p, nil)
		if err != nil {
			return
		}
		req.URL.RawQuery = query
		req.Header.Set("Authorization", fs.auth)
		fs.serve(t, req)
	})
}

// FuzzLoginForm posts any body to the login page; none signs in.
func FuzzLoginForm(f *testing.F) {
	f.Add("application/x-www-form-urlencoded", []byte("username=fuzz-admin&password=wrong"))
	f.Add("application/x-www-form-urlencoded", []byte("username=%00&password=%ff"))
	f.Add("multipart/form-data; boundary=b", []byte("--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nfuzz-admin\r\n--b--\r\n"))
	f.Add("text/plain", []byte("username=fuzz-admin"))
	fs := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		req := httptest.NewRequest("POST", "/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		rec := fs.serve(t, req)
		if strings.Contains(rec.Header().Get("Set-Cookie"), SessionCookie+"=") && !strings.Contains(rec.Header().Get("Set-Cookie"), SessionCookie+"=;") &&
			!bytes.Contains(body, []byte(testPassword)) {
			t.Fatalf("signed in without the password: %q", body)
		}
	})
}

// FuzzAuthHeaders sends any Authorization and Cookie headers: no forged
// credential reaches what only the administrator may read.
func FuzzAuthHeaders(f *testing.F) {
	fs := newFuzzServer(f)
	f.Add("Bearer x", "")
	f.Add("Bearer "+strings.Repeat("A", 5000), "")
	f.Add("Basic Zm9vOmJhcg==", "")
	f.Add("bearer "+strings.TrimPrefix(fs.auth, "Bearer ")+"x", "")
	f.Add("", SessionCookie+"=abc")
	f.Add("", SessionCookie+"="+strings.TrimPrefix(fs.auth, "Bearer "))
	f.Add("Bearer \x00\xff", SessionCookie+"=%ff; "+SessionCookie+"=x")
	f.Fuzz(func(t *testing.T, authorization, cookie string) {
		for _, path := range []string{"/api/v1/audit", "/api/v1/me", "/"} {
			req := httptest.NewRequest("GET", path, nil)
			if authorization != "" {
				req.Header["Authorization"] = []string{authorization}
			}
			if cookie != "" {
				req.Header["Cookie"] = []string{cookie}
			}
			rec := fs.serve(t, req)
			if path != "/" && rec.Code == http.StatusOK && authorization != fs.auth {
				t.Fatalf("GET %s with Authorization %q, Cookie %q: 200", path, authorization, cookie)
			}
		}
	})
}
