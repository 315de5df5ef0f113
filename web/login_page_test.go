package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
)

// The first-admin setup page (web/ui) reaches the setup secret through
// pageSessions: a wrong link is refused, a weak password does not use the
// link up, the right one creates the administrator and logs them in.
func TestSetupPageCreatesTheFirstAdmin(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "sceval.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	regions, err := testRegions()
	if err != nil {
		t.Fatal(err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{Regions: regions})
	srv := NewServer(svc, regions, BuiltinFrameworks{}, store, slog.New(slog.DiscardHandler), Options{SetupToken: "s3cret-link"})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	client := hs.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(token, user, pw string) (*http.Response, string) {
		res, err := client.PostForm(hs.URL+"/setup", url.Values{"token": {token}, "username": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, err := client.Get(hs.URL + "/setup?token=s3cret-link")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `name="token" value="s3cret-link"`) || !strings.Contains(string(b), "创建首个管理员账户") {
		t.Fatalf("setup form: %d\n%s", res.StatusCode, b)
	}
	if res, body := post("wrong", "root", "a long enough pass"); res.StatusCode != 401 || !strings.Contains(body, "初始设置链接无效或已使用") {
		t.Fatalf("wrong link: %d\n%s", res.StatusCode, body)
	}
	if res, body := post("s3cret-link", "root", "short"); res.StatusCode != 422 || !strings.Contains(body, "密码至少需要 10 个字符") {
		t.Fatalf("weak password: %d\n%s", res.StatusCode, body)
	}
	res, body := post("s3cret-link", "root", "a long enough pass")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin") ||
		len(res.Cookies()) == 0 || res.Cookies()[0].Name != SessionCookie {
		t.Fatalf("setup: %d %s %v\n%s", res.StatusCode, res.Header.Get("Location"), res.Cookies(), body)
	}
	if res, _ := post("s3cret-link", "root2", "a long enough pass"); res.StatusCode != 401 {
		t.Fatalf("the link works twice: %d", res.StatusCode)
	}
}
