package web

import (
	"cmp"
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// The callers of the matrix: every role, a second province and a second
// pilot (each reading the first's resources), and anonymous.
const (
	asAdmin         = "admin"
	asMinistry      = "ministry"
	asProvince      = "province"       // bound to province 13, where pilot A is
	asOtherProvince = "province-other" // bound to province 33
	asPilot         = "pilot"          // bound to pilot A
	asOtherPilot    = "pilot-other"    // bound to pilot B (province 33)
	asExpert        = "expert"         // no assignment
	asAnonymous     = "anonymous"
)

var matrixCallers = []string{asAdmin, asMinistry, asProvince, asOtherProvince, asPilot, asOtherPilot, asExpert, asAnonymous}

// allowed marks a caller the route lets through: any status but 401, 403
// and 404 (a 409 or 422 of the business rules is still "allowed").
const allowed = 0

// outcomes builds one row of the matrix: the callers listed in ok are
// allowed, those in hidden get 404 (outside their scope), admin is always
// allowed, anonymous callers otherwise get 401 and everybody else 403.
func outcomes(ok, hidden string) map[string]int {
	m := map[string]int{}
	for _, c := range matrixCallers {
		switch {
		case c == asAdmin || slices.Contains(strings.Fields(ok), c):
			m[c] = allowed
		case slices.Contains(strings.Fields(hidden), c):
			m[c] = http.StatusNotFound
		case c == asAnonymous:
			m[c] = http.StatusUnauthorized
		default:
			m[c] = http.StatusForbidden
		}
	}
	return m
}

// everyoneLoggedIn lists the logged-in callers but admin.
const everyoneLoggedIn = "ministry province province-other pilot pilot-other expert"

// matrixFixture is what the routes of the matrix address.
type matrixFixture struct {
	pilotA, pilotB  platform.Pilot
	published, open platform.Cycle
	subA            platform.Submission
	evidenceA       int64
	// review is a demo review (of the published cycle) whose submission
	// has reviewEvidence; expertID is its expert.
	review                   platform.Assignment
	reviewEvidence, expertID int64
	// deletable is, per caller, an evidence file that pilot A uploaded
	// for that caller to try to delete.
	deletable map[string]int64
	tokens    map[string]string
	// spareTokens are a second token of each caller, by token ID.
	spareTokens map[string]int64
}

// matrixRoute is one row: the request and the expected outcome per caller.
type matrixRoute struct {
	path func(f *matrixFixture, caller string) string
	body func(f *matrixFixture) any
	want map[string]int
	// public marks a route open to anonymous callers by design although
	// the matrix's request is refused (its credentials are in the body).
	public bool
	// contentType is that of a []byte body (default text/csv).
	contentType string
}

func fixed(p string) func(*matrixFixture, string) string {
	return func(*matrixFixture, string) string { return p }
}

// matrix has one row per route of the OpenAPI document; a route missing
// here fails TestRouteMatrix.
var matrix = map[string]matrixRoute{
	"GET /api/v1/frameworks":                 {path: fixed("/api/v1/frameworks"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/frameworks/{id}":            {path: fixed("/api/v1/frameworks/mohurd-2012"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/frameworks/{id}/indicators": {path: fixed("/api/v1/frameworks/mohurd-2012/indicators"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/regions":                    {path: fixed("/api/v1/regions?q=石家庄"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/regions/{code}":             {path: fixed("/api/v1/regions/130100"), want: outcomes(everyoneLoggedIn+" anonymous", "")},

	"GET /api/v1/pilots": {path: fixed("/api/v1/pilots"), want: outcomes("ministry province province-other pilot pilot-other anonymous", "")},
	"POST /api/v1/pilots": {path: fixed("/api/v1/pilots"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any {
			return PilotFields{RegionCode: "130200", Name: "唐山市", Batch: "2099-1", Type: "city"}
		}},
	"POST /api/v1/pilots/import": {path: fixed("/api/v1/pilots/import"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any {
			return []byte("region_code,name,batch,type\n130300,秦皇岛市,2099-2,city\n")
		}},
	"GET /api/v1/pilots/{id}": {path: pilotAPath(""), want: outcomes("ministry province pilot anonymous", "province-other pilot-other")},
	"PUT /api/v1/pilots/{id}": {path: pilotAPath(""), want: outcomes("ministry", ""),
		body: func(f *matrixFixture) any {
			return PilotUpdate{RegionCode: f.pilotA.RegionCode, Name: f.pilotA.Name, Batch: f.pilotA.Batch,
				Type: string(f.pilotA.Type), Status: string(f.pilotA.Status), Version: 999}
		}},
	"GET /api/v1/pilots/{id}/results": {path: pilotAPath("/results"), want: outcomes("ministry province pilot anonymous", "province-other pilot-other")},

	"GET /api/v1/cycles": {path: fixed("/api/v1/cycles"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"POST /api/v1/cycles": {path: fixed("/api/v1/cycles"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any {
			return CycleFields{Name: "2099 年度监测", Kind: "annual_monitoring", Year: 2099, FrameworkID: "mohurd-2012"}
		}},
	"GET /api/v1/cycles/{id}": {path: cyclePath(false, ""), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"PUT /api/v1/cycles/{id}": {path: cyclePath(true, ""), want: outcomes("ministry", ""),
		body: func(f *matrixFixture) any {
			return CycleUpdate{Name: f.open.Name, Kind: string(f.open.Kind), Year: f.open.Year,
				FrameworkID: f.open.FrameworkID, Version: 999}
		}},
	"POST /api/v1/cycles/{id}/transition": {path: cyclePath(true, "/transition"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any { return CycleTransition{To: "closed", Version: 999} }},
	"POST /api/v1/cycles/{id}/submissions": {path: cyclePath(true, "/submissions"),
		want: outcomes("ministry province pilot", "province-other pilot-other"),
		body: func(f *matrixFixture) any { return SubmissionCreate{PilotID: f.pilotA.ID} }},
	"GET /api/v1/cycles/{id}/submissions": {path: cyclePath(false, "/submissions"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"POST /api/v1/cycles/{id}/results":    {path: cyclePath(true, "/results"), want: outcomes("ministry", "")},
	"GET /api/v1/cycles/{id}/results":     {path: cyclePath(false, "/results"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/cycles/{id}/results/run": {path: cyclePath(false, "/results/run"), want: outcomes(everyoneLoggedIn+" anonymous", "")},

	// Exchange: templates and imports for whoever fills in entries (each
	// sees and writes only its scope's pilots), exports as their reads.
	"GET /api/v1/cycles/{id}/template.xlsx": {path: cyclePath(true, "/template.xlsx"), want: outcomes("ministry province province-other pilot pilot-other", "")},
	"POST /api/v1/cycles/{id}/entries/import": {path: cyclePath(true, "/entries/import?dry_run=true"),
		want: outcomes("ministry province province-other pilot pilot-other", "")},
	"GET /api/v1/cycles/{id}/results.xlsx":     {path: cyclePath(false, "/results.xlsx"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/cycles/{id}/results.csv":      {path: cyclePath(false, "/results.csv"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/cycles/{id}/results.json":     {path: cyclePath(false, "/results.json"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/frameworks/{id}/export.xlsx":  {path: fixed("/api/v1/frameworks/mohurd-2012/export.xlsx"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/frameworks/{id}/export.md":    {path: fixed("/api/v1/frameworks/mohurd-2012/export.md"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/submissions/{id}/export.xlsx": {path: subAPath("/export.xlsx"), want: outcomes("ministry province pilot", "province-other pilot-other expert")},

	"GET /api/v1/submissions":      {path: fixed("/api/v1/submissions"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/submissions/{id}": {path: subAPath(""), want: outcomes("ministry province pilot", "province-other pilot-other expert")},
	"PUT /api/v1/submissions/{id}/entries/{code}": {path: subAPath("/entries/1.1.1"), want: outcomes("pilot", "pilot-other"),
		body: func(*matrixFixture) any { return EntryFields{Level: ptr(2)} }},
	"POST /api/v1/submissions/{id}/transition": {path: subAPath("/transition"), want: outcomes("pilot", "pilot-other"),
		body: func(*matrixFixture) any { return SubmissionTransition{To: "submitted", Version: 999} }},
	"POST /api/v1/submissions/{id}/entries/{code}/evidence": {path: subAPath("/entries/1.1.1/evidence"), want: outcomes("pilot", "pilot-other")},
	"GET /api/v1/submissions/{id}/evidence":                 {path: subAPath("/evidence"), want: outcomes("ministry province pilot", "province-other pilot-other expert")},
	"GET /api/v1/evidence/{id}": {path: func(f *matrixFixture, _ string) string { return "/api/v1/evidence/" + itoa(f.evidenceA) },
		want: outcomes("ministry province pilot", "province-other pilot-other expert")},

	// Published frameworks are public documents; the ministry publishes.
	"POST /api/v1/frameworks": {path: fixed("/api/v1/frameworks"), want: outcomes("ministry", ""), contentType: "application/yaml",
		body: func(*matrixFixture) any { return []byte("id: matrix\n") }},
	"GET /api/v1/frameworks/published":   {path: fixed("/api/v1/frameworks/published"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/frameworks/{id}/export": {path: fixed("/api/v1/frameworks/mohurd-2012/export"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"GET /api/v1/cycles/{id}/framework":  {path: cyclePath(false, "/framework"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	"PATCH /api/v1/pilots/{id}":          {path: pilotAPath(""), want: outcomes("ministry", ""), contentType: "application/merge-patch+json", body: staleMergePatch},
	"GET /api/v1/pilots/{id}/history":    {path: pilotAPath("/history"), want: outcomes("ministry province pilot", "province-other pilot-other")},
	"PATCH /api/v1/cycles/{id}":          {path: cyclePath(true, ""), want: outcomes("ministry", ""), contentType: "application/merge-patch+json", body: staleMergePatch},
	"GET /api/v1/cycles/{id}/overdue":    {path: cyclePath(true, "/overdue"), want: outcomes("ministry", "")},
	"GET /api/v1/cycles/{id}/events":     {path: cyclePath(true, "/events"), want: outcomes("ministry", "")},
	"POST /api/v1/cycles/{id}/extensions": {path: cyclePath(true, "/extensions"), want: outcomes("ministry", ""),
		body: func(f *matrixFixture) any {
			return ExtensionGrant{PilotID: f.pilotA.ID, DueAt: "2099-12-31", Reason: "matrix"}
		}},
	// Only the uploader (pilot A, on its editable submission) or admin
	// deletes evidence; each caller tries a file of its own.
	"DELETE /api/v1/evidence/{id}": {path: func(f *matrixFixture, caller string) string { return "/api/v1/evidence/" + itoa(f.deletable[caller]) },
		want: outcomes("pilot", "pilot-other")},

	// Expert review: the ministry runs it; experts reach their own
	// reviews only (the matrix's expert has none: another's is not found).
	"GET /api/v1/experts": {path: fixed("/api/v1/experts"), want: outcomes("ministry", "")},
	"POST /api/v1/experts": {path: fixed("/api/v1/experts"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any { return ExpertFields{Name: "矩阵专家", ProvinceCode: "11"} }},
	"GET /api/v1/experts/{id}": {path: expertPath, want: outcomes("ministry", "")},
	"PUT /api/v1/experts/{id}": {path: expertPath, want: outcomes("ministry", ""),
		body: func(*matrixFixture) any {
			return ExpertUpdate{ExpertFields: ExpertFields{Name: "矩阵专家", ProvinceCode: "11"}, Version: 999}
		}},
	"GET /api/v1/cycles/{id}/review-settings": {path: cyclePath(true, "/review-settings"), want: outcomes("ministry", "")},
	"PUT /api/v1/cycles/{id}/review-settings": {path: cyclePath(true, "/review-settings"), want: outcomes("ministry", ""),
		body: func(f *matrixFixture) any {
			rs := platform.DefaultReviewSettings(f.open.ID)
			rs.Version = 999
			return rs
		}},
	"POST /api/v1/cycles/{id}/assignments": {path: cyclePath(true, "/assignments"), want: outcomes("ministry", "")},
	"GET /api/v1/cycles/{id}/assignments":  {path: cyclePath(false, "/assignments"), want: outcomes("ministry", "")},
	"POST /api/v1/assignments/{id}/override": {path: func(f *matrixFixture, _ string) string {
		return "/api/v1/assignments/" + itoa(f.review.ID) + "/override"
	}, want: outcomes("ministry", ""),
		body: func(f *matrixFixture) any {
			return AssignmentOverrideBody{ExpertID: f.expertID, Version: 999, Reason: "matrix"}
		}},
	"GET /api/v1/reviews":      {path: fixed("/api/v1/reviews"), want: outcomes("expert", "")},
	"GET /api/v1/reviews/{id}": {path: reviewPath(""), want: outcomes("ministry", "expert")},
	"PUT /api/v1/reviews/{id}": {path: reviewPath(""), want: outcomes("", "expert"),
		body: func(*matrixFixture) any { return ReviewSave{Version: 999, Scores: []platform.ReviewScore{}} }},
	"POST /api/v1/reviews/{id}/submit": {path: reviewPath("/submit"), want: outcomes("", "expert"),
		body: func(*matrixFixture) any { return ReviewAction{Version: 999} }},
	"POST /api/v1/reviews/{id}/reopen": {path: reviewPath("/reopen"), want: outcomes("ministry", ""),
		body: func(*matrixFixture) any { return ReviewAction{Version: 999, Reason: "matrix"} }},
	"GET /api/v1/reviews/{id}/evidence/{evidence_id}": {path: func(f *matrixFixture, _ string) string {
		return "/api/v1/reviews/" + itoa(f.review.ID) + "/evidence/" + itoa(f.reviewEvidence)
	}, want: outcomes("ministry", "expert")},
	"GET /api/v1/submissions/{id}/agreement": {path: func(f *matrixFixture, _ string) string {
		return "/api/v1/submissions/" + itoa(f.review.SubmissionID) + "/agreement"
	}, want: outcomes("ministry", "")},
	"GET /api/v1/cycles/{id}/agreement":      {path: cyclePath(false, "/agreement"), want: outcomes("ministry", "")},
	"GET /api/v1/cycles/{id}/expert-results": {path: cyclePath(false, "/expert-results"), want: outcomes("ministry", "")},

	// The audit trail: the ministry's.
	"GET /api/v1/audit":        {path: fixed("/api/v1/audit"), want: outcomes("ministry", "")},
	"GET /api/v1/audit/export": {path: fixed("/api/v1/audit/export"), want: outcomes("ministry", "")},
	"GET /api/v1/audit/verify": {path: fixed("/api/v1/audit/verify"), want: outcomes("ministry", "")},

	"POST /api/v1/auth/login": {path: fixed("/api/v1/auth/login"), want: outcomes(everyoneLoggedIn+" anonymous", ""),
		body: func(*matrixFixture) any { return LoginRequest{Username: "matrix-login", Password: testPassword} }},
	"POST /api/v1/auth/logout": {path: fixed("/api/v1/auth/logout"), want: outcomes(everyoneLoggedIn+" anonymous", "")},
	// The setup link is dead once an account exists: 401 for everyone.
	"POST /api/v1/auth/setup": {path: fixed("/api/v1/auth/setup"), want: every(http.StatusUnauthorized), public: true,
		body: func(*matrixFixture) any {
			return SetupRequest{Token: "guess", Username: "x", Password: "long enough password"}
		}},
	"GET /api/v1/me": {path: fixed("/api/v1/me"), want: outcomes(everyoneLoggedIn, "")},
	"POST /api/v1/me/password": {path: fixed("/api/v1/me/password"), want: outcomes(everyoneLoggedIn, ""),
		body: func(*matrixFixture) any {
			return PasswordChange{CurrentPassword: "wrong password!", Password: "another long password"}
		}},
	"GET /api/v1/me/tokens": {path: fixed("/api/v1/me/tokens"), want: outcomes(everyoneLoggedIn, "")},
	"POST /api/v1/me/tokens": {path: fixed("/api/v1/me/tokens"), want: outcomes(everyoneLoggedIn, ""),
		body: func(*matrixFixture) any { return TokenRequest{Name: "matrix"} }},
	// Each caller revokes a token of its own.
	"DELETE /api/v1/me/tokens/{id}": {path: func(f *matrixFixture, caller string) string {
		if caller == asAnonymous {
			caller = asPilot
		}
		return "/api/v1/me/tokens/" + itoa(f.spareTokens[caller])
	}, want: outcomes(everyoneLoggedIn, "")},
}

// every gives every caller the same status.
func every(status int) map[string]int {
	m := map[string]int{}
	for _, c := range matrixCallers {
		m[c] = status
	}
	return m
}

// staleMergePatch is a merge patch with a version nobody read (409 for
// those allowed).
func staleMergePatch(*matrixFixture) any { return []byte(`{"version": 999}`) }

func expertPath(f *matrixFixture, _ string) string { return "/api/v1/experts/" + itoa(f.expertID) }

func reviewPath(suffix string) func(*matrixFixture, string) string {
	return func(f *matrixFixture, _ string) string { return "/api/v1/reviews/" + itoa(f.review.ID) + suffix }
}

func pilotAPath(suffix string) func(*matrixFixture, string) string {
	return func(f *matrixFixture, _ string) string { return "/api/v1/pilots/" + itoa(f.pilotA.ID) + suffix }
}

func subAPath(suffix string) func(*matrixFixture, string) string {
	return func(f *matrixFixture, _ string) string { return "/api/v1/submissions/" + itoa(f.subA.ID) + suffix }
}

// cyclePath addresses the open cycle (writes) or the published one.
func cyclePath(open bool, suffix string) func(*matrixFixture, string) string {
	return func(f *matrixFixture, _ string) string {
		c := f.published
		if open {
			c = f.open
		}
		return "/api/v1/cycles/" + itoa(c.ID) + suffix
	}
}

func TestRouteMatrixSQLite(t *testing.T) { runRouteMatrix(t, newTestEnv(t, envOptions{})) }

func TestRouteMatrixPostgres(t *testing.T) {
	if os.Getenv(sqlstoretest.PostgresEnv) == "" {
		t.Skip("SKIPPED: set " + sqlstoretest.PostgresEnv + " to run the route matrix on PostgreSQL")
	}
	runRouteMatrix(t, newTestEnv(t, envOptions{dsn: os.Getenv(sqlstoretest.PostgresEnv)}))
}

// runRouteMatrix walks every route of the OpenAPI document × every caller
// and checks the outcome against the matrix.
func runRouteMatrix(t *testing.T, env *testEnv) {
	f := newMatrixFixture(t, env)
	doc := env.do("GET", "/api/v1/openapi.json", nil).expect(200).object()
	var routes []string
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			if op, ok := raw.(map[string]any); ok && op["operationId"] != nil {
				routes = append(routes, strings.ToUpper(method)+" "+path)
				checkSecurity(t, strings.ToUpper(method)+" "+path, op, matrix[strings.ToUpper(method)+" "+path])
			}
		}
	}
	slices.Sort(routes)
	for _, route := range routes {
		row, ok := matrix[route]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix: add one (and a rule in platform/authz.go)", route)
			continue
		}
		method, _, _ := strings.Cut(route, " ")
		for _, caller := range matrixCallers {
			res := f.request(env, caller, method, row)
			want := row.want[caller]
			denied := res.status == 401 || res.status == 403 || res.status == 404
			switch {
			case want == allowed && (denied || res.status >= 500):
				t.Errorf("%s as %s: %d, want allowed; body %s", route, caller, res.status, res.body)
			case want != allowed && res.status != want:
				t.Errorf("%s as %s: %d, want %d; body %s", route, caller, res.status, want, res.body)
			case want == http.StatusForbidden && !strings.Contains(string(res.body), `"forbidden"`):
				t.Errorf("%s as %s: 403 without code forbidden: %s", route, caller, res.body)
			}
		}
	}
}

// checkSecurity checks that op declares both schemes, and anonymous access
// exactly when the matrix allows anonymous callers something.
func checkSecurity(t *testing.T, route string, op map[string]any, row matrixRoute) {
	t.Helper()
	sec, _ := op["security"].([]any)
	var schemes []string
	anonymous := false
	for _, s := range sec {
		m := s.(map[string]any)
		if len(m) == 0 {
			anonymous = true
		}
		for k := range m {
			schemes = append(schemes, k)
		}
	}
	slices.Sort(schemes)
	if !slices.Equal(schemes, []string{"bearerAuth", "cookieAuth"}) {
		t.Errorf("%s: security schemes %v, want bearerAuth and cookieAuth", route, schemes)
	}
	if row.want != nil && anonymous != (row.public || row.want[asAnonymous] != http.StatusUnauthorized) {
		t.Errorf("%s: OpenAPI says anonymous access %v, the matrix expects %d", route, anonymous, row.want[asAnonymous])
	}
}

// request sends one row's request as caller.
func (f *matrixFixture) request(env *testEnv, caller, method string, row matrixRoute) *response {
	as := env.anonymous()
	if caller != asAnonymous {
		as = env.as(f.tokens[caller])
	}
	path := row.path(f, caller)
	if strings.HasSuffix(path, "/evidence") && method == http.MethodPost {
		return as.upload(path, "file", "证明.pdf", []byte("%PDF-1.4\n%matrix\n"))
	}
	if strings.Contains(path, "/entries/import") {
		return as.upload(path, "file", "entries.csv", []byte("试点ID,指标代码,数值,等级,填报说明\n"+itoa(f.pilotA.ID)+",1.1.1,,2 起步,\n"))
	}
	var body any
	if row.body != nil {
		body = row.body(f)
	}
	if raw, ok := body.([]byte); ok {
		return as.do(method, path, raw, "Content-Type", cmp.Or(row.contentType, "text/csv"))
	}
	return as.do(method, path, body)
}

// newMatrixFixture seeds the demo (published cycle with results), adds an
// open cycle with a submission and evidence of pilot A (province 13), and
// creates one account per caller.
func newMatrixFixture(t *testing.T, env *testEnv) *matrixFixture {
	t.Helper()
	regions, err := testRegions()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Seed(env.admin, env.svc, regions, demo.Options{})
	if err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	f := &matrixFixture{tokens: map[string]string{}}
	f.published = publishCycle(t, env.admin, env.svc, sum.CycleID)
	f.pilotA = firstPilotIn(t, env, "13")
	f.pilotB = firstPilotIn(t, env, "33")
	f.open = env.openCycle()
	f.subA = env.submission(f.open, f.pilotA)
	var ev platform.Evidence
	env.upload("/api/v1/submissions/"+itoa(f.subA.ID)+"/entries/1.1.1/evidence", "file", "a.pdf", []byte("%PDF-1.4\n")).
		expect(201).decode(&ev)
	f.evidenceA = ev.ID
	f.tokens[asAdmin] = strings.TrimPrefix(env.auth, "Bearer ")
	f.tokens[asMinistry] = env.newUser("m-ministry", platform.NewUser{Role: platform.RoleMinistry})
	f.tokens[asProvince] = env.newUser("m-province-13", platform.NewUser{Role: platform.RoleProvince, Province: "13"})
	f.tokens[asOtherProvince] = env.newUser("m-province-33", platform.NewUser{Role: platform.RoleProvince, Province: "33"})
	f.tokens[asPilot] = env.newUser("m-pilot-a", platform.NewUser{Role: platform.RolePilot, PilotID: f.pilotA.ID})
	f.tokens[asOtherPilot] = env.newUser("m-pilot-b", platform.NewUser{Role: platform.RolePilot, PilotID: f.pilotB.ID})
	f.tokens[asExpert] = env.newUser("m-expert", platform.NewUser{Role: platform.RoleExpert})
	env.newUser("matrix-login", platform.NewUser{Role: platform.RoleExpert})
	f.deletable = map[string]int64{}
	for i, caller := range matrixCallers {
		var ev platform.Evidence
		env.as(f.tokens[asPilot]).upload("/api/v1/submissions/"+itoa(f.subA.ID)+"/entries/1.1.1/evidence", "file",
			caller+".pdf", []byte("%PDF-1.4\n%"+itoa(int64(i))+"\n")).expect(201).decode(&ev)
		f.deletable[caller] = ev.ID
	}
	f.review, f.reviewEvidence = reviewWithEvidence(t, env, f.published.ID)
	f.expertID = f.review.ExpertID
	f.spareTokens = map[string]int64{}
	for caller, name := range map[string]string{asAdmin: "test-admin", asMinistry: "m-ministry", asProvince: "m-province-13",
		asOtherProvince: "m-province-33", asPilot: "m-pilot-a", asOtherPilot: "m-pilot-b", asExpert: "m-expert"} {
		tok, _, err := env.svc.CreateToken(env.admin, name, "spare", 0)
		if err != nil {
			t.Fatal(err)
		}
		f.spareTokens[caller] = tok.ID
	}
	return f
}

// reviewWithEvidence returns a demo review of the cycle whose submission
// has evidence, and one of its evidence files.
func reviewWithEvidence(t *testing.T, env *testEnv, cycleID int64) (platform.Assignment, int64) {
	t.Helper()
	as, _, err := env.svc.ListAssignments(env.admin, platform.AssignmentFilter{CycleID: cycleID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		evs, err := env.svc.ListEvidence(env.admin, a.SubmissionID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) > 0 {
			return a, evs[0].ID
		}
	}
	t.Fatalf("no demo review of cycle %d has evidence", cycleID)
	return platform.Assignment{}, 0
}

// publishCycle closes and publishes a cycle.
func publishCycle(t *testing.T, ctx context.Context, svc *platform.Service, id int64) platform.Cycle {
	t.Helper()
	c, err := svc.GetCycle(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []platform.CycleState{platform.CycleClosed, platform.CyclePublished} {
		// The demo keeps submissions awaiting a decision: publish over them.
		opts := platform.CycleTransitionOptions{Override: true, Reason: "test: publish over pending submissions"}
		if c, err = svc.TransitionCycleWith(ctx, c.ID, c.Version, to, opts); err != nil {
			t.Fatalf("cycle %d to %s: %v", id, to, err)
		}
	}
	return c
}

// firstPilotIn returns the demo's first pilot of a province.
func firstPilotIn(t *testing.T, env *testEnv, province string) platform.Pilot {
	t.Helper()
	ps, _, err := env.svc.ListPilots(env.admin, platform.PilotFilter{Province: province, Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no demo pilot in province %s: %v", province, err)
	}
	return ps[0]
}
