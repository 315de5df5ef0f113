package platform_test

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// clock is a settable time source for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// accountService is a service on store with a settable clock and one user
// "alice" (ministry) whose password is alicePassword.
func accountService(t *testing.T, store *sqlstore.Store) (*platform.Service, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{Now: clk.Now})
	if _, err := svc.CreateUser(adminContext(), platform.NewUser{Username: "alice", Role: platform.RoleMinistry, Password: alicePassword}); err != nil {
		t.Fatal(err)
	}
	return svc, clk
}

const alicePassword = "ten-or-more characters"

func TestPasswordHashParameters(t *testing.T) {
	h, err := platform.HashPassword("correct horse battery", platform.DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s: want argon2id v=19 m=19456 t=2 p=1", h)
	}
	p, salt, key, err := platform.ParsePasswordHash(h)
	if err != nil || len(salt) != 16 || len(key) != 32 || p.Memory != 19456 || p.Time != 2 || p.Threads != 1 {
		t.Fatalf("parsed %+v salt %d key %d: %v", p, len(salt), len(key), err)
	}
	// A second computation straight from x/crypto gives the stored key.
	if again := argon2.IDKey([]byte("correct horse battery"), salt, 2, 19456, 1, 32); subtle.ConstantTimeCompare(again, key) != 1 {
		t.Fatal("stored key differs from argon2.IDKey of the same password and salt")
	}
	h2, _ := platform.HashPassword("correct horse battery", platform.DefaultPasswordParams)
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !platform.VerifyPassword("correct horse battery", h) || platform.VerifyPassword("correct horse batterY", h) ||
		platform.VerifyPassword("", h) || platform.VerifyPassword("correct horse battery", "$argon2i$v=19$x") {
		t.Error("VerifyPassword accepts a wrong password or a foreign hash, or refuses the right one")
	}
}

func TestPasswordPolicy(t *testing.T) {
	for _, tc := range []struct {
		user, password string
		ok             bool
	}{
		{"alice", "short", false},
		{"alice", "123456789", false},             // 9 characters
		{"alice", "1234567890", false},            // common
		{"alice", "Password123", false},           // common, compared case-insensitively
		{"administrator", "Administrator", false}, // the username
		{"alice", "aaaaaaaaaaaa", false},          // one character repeated
		{"alice", "智慧城市试点评价系统密码", true},           // ten CJK characters count as ten
		{"alice", "ten-or-more characters", true},
		{"alice", strings.Repeat("x", 200) + "y", true},
		{"alice", strings.Repeat("xy", 200), false}, // over 256 bytes
	} {
		err := platform.CheckPasswordPolicy(tc.user, tc.password)
		if (err == nil) != tc.ok {
			t.Errorf("policy(%q, %q) = %v, want ok=%v", tc.user, tc.password, err, tc.ok)
		}
		if err != nil && platform.ErrorCodeOf(err) != "weak_password" {
			t.Errorf("policy(%q): code %q", tc.password, platform.ErrorCodeOf(err))
		}
	}
}

func TestLoginAnswersAlikeAndSessionsExpire(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		svc, clk := accountService(t, store)
		_, _, wrong := svc.Login(ctx, "alice", "not the password", "10.0.0.1")
		_, _, unknown := svc.Login(ctx, "nobody", "not the password", "10.0.0.1")
		if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() || platform.ErrorCodeOf(wrong) != "invalid_credentials" ||
			platform.ErrorKindOf(unknown) != platform.Unauthenticated {
			t.Fatalf("wrong password %v / unknown user %v: want the same invalid_credentials", wrong, unknown)
		}
		u, first, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.1")
		if err != nil || u.Username != "alice" || u.PasswordHash == "" {
			t.Fatalf("login: %+v %v", u, err)
		}
		_, second, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.2")
		if err != nil || second == first || len(first) < 40 {
			t.Fatalf("second login: a new random session id is expected (%q, %q, %v)", first, second, err)
		}
		id, err := svc.SessionIdentity(ctx, first)
		if err != nil || id.User != "alice" || id.Roles[0] != "ministry" || id.UserID != u.ID {
			t.Fatalf("session identity: %+v %v", id, err)
		}
		// Idle expiry: 2 hours without a request.
		clk.advance(2*time.Hour - time.Second)
		if _, err := svc.SessionIdentity(ctx, first); err != nil {
			t.Fatalf("session used within the idle limit: %v", err)
		}
		clk.advance(2 * time.Hour)
		if _, err := svc.SessionIdentity(ctx, first); platform.ErrorCodeOf(err) != "session_expired" {
			t.Fatalf("idle session: %v, want session_expired", err)
		}
		// Absolute expiry: 12 hours after login however active.
		_, third, _ := svc.Login(ctx, "alice", alicePassword, "10.0.0.1")
		for range 11 {
			clk.advance(time.Hour)
			if _, err := svc.SessionIdentity(ctx, third); err != nil {
				t.Fatalf("active session before 12 h: %v", err)
			}
		}
		clk.advance(time.Hour)
		if _, err := svc.SessionIdentity(ctx, third); platform.ErrorCodeOf(err) != "session_expired" {
			t.Fatalf("session after 12 h: %v, want session_expired", err)
		}
		if _, _, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SessionIdentity(ctx, "forged"); platform.ErrorKindOf(err) != platform.Unauthenticated {
			t.Fatalf("forged session: %v", err)
		}
		// A login sweeps stale sessions nobody asked about: second was
		// last used 14 hours ago.
		if n, err := store.DeleteStaleSessions(ctx, clk.Now(), clk.Now().Add(-2*time.Hour)); err != nil || n != 0 {
			t.Errorf("stale sessions left after a login: %d, %v", n, err)
		}
	})
}

func TestLogoutEverywhereAndAccountChangesEndSessions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		svc, _ := accountService(t, store)
		_, a, _ := svc.Login(ctx, "alice", alicePassword, "10.0.0.1")
		_, b, _ := svc.Login(ctx, "alice", alicePassword, "10.0.0.2")
		if err := svc.Logout(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SessionIdentity(ctx, a); err == nil {
			t.Fatal("session alive after logout")
		}
		if _, err := svc.SessionIdentity(ctx, b); err != nil {
			t.Fatalf("other session ended by a single logout: %v", err)
		}
		_, c, _ := svc.Login(ctx, "alice", alicePassword, "10.0.0.3")
		id, _ := svc.SessionIdentity(ctx, b)
		if n, err := svc.LogoutEverywhere(platform.WithIdentity(ctx, id)); err != nil || n != 2 {
			t.Fatalf("logout everywhere: %d sessions, %v; want 2", n, err)
		}
		for _, s := range []string{b, c} {
			if _, err := svc.SessionIdentity(ctx, s); err == nil {
				t.Fatal("session alive after logout everywhere")
			}
		}
		// Disabling ends sessions and refuses logins with the same answer.
		_, d, _ := svc.Login(ctx, "alice", alicePassword, "10.0.0.1")
		if _, err := svc.SetUserDisabled(adminContext(), "alice", true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SessionIdentity(ctx, d); err == nil {
			t.Fatal("session of a disabled user alive")
		}
		if _, _, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.1"); platform.ErrorCodeOf(err) != "invalid_credentials" {
			t.Fatalf("disabled user's login: %v", err)
		}
		if _, err := svc.SetUserDisabled(adminContext(), "alice", false); err != nil {
			t.Fatal(err)
		}
		// A reset password must be changed before anything else.
		if _, err := svc.ResetPassword(adminContext(), "alice", "operator chose this"); err != nil {
			t.Fatal(err)
		}
		u, e, err := svc.Login(ctx, "alice", "operator chose this", "10.0.0.1")
		if err != nil || !u.MustChangePassword {
			t.Fatalf("login after reset: %+v %v", u, err)
		}
		id, _ = svc.SessionIdentity(ctx, e)
		actx := platform.WithIdentity(ctx, id)
		if _, _, err := svc.ListCycles(actx, platform.CycleFilter{}); platform.ErrorCodeOf(err) != "password_change_required" {
			t.Fatalf("before the forced change: %v, want password_change_required", err)
		}
		if _, err := svc.ChangePassword(actx, "operator chose this", "operator chose this"); platform.ErrorCodeOf(err) != "weak_password" {
			t.Fatalf("same password again: %v", err)
		}
		if _, err := svc.ChangePassword(actx, "wrong current", "my own new password"); platform.ErrorCodeOf(err) != "invalid_credentials" {
			t.Fatalf("wrong current password: %v", err)
		}
		if u, err = svc.ChangePassword(actx, "operator chose this", "my own new password"); err != nil || u.MustChangePassword {
			t.Fatalf("change: %+v %v", u, err)
		}
		if _, err := svc.SessionIdentity(ctx, e); err == nil {
			t.Fatal("sessions survive a password change")
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	ctx := context.Background()
	svc, clk := accountService(t, sqlstoretest.SQLite(t))
	var throttled *platform.LoginThrottled
	for i := range 5 {
		if _, _, err := svc.Login(ctx, "alice", "wrong password", "10.0.0.1"); errors.As(err, &throttled) {
			t.Fatalf("attempt %d throttled: the first 5 failures are free", i+1)
		}
	}
	// The 6th failure starts the back-off: 1 s, then 2 s, 4 s …
	svc.Login(ctx, "alice", "wrong password", "10.0.0.1")
	_, _, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.9")
	if !errors.As(err, &throttled) || throttled.RetryAfter != time.Second {
		t.Fatalf("after 6 failures even the right password from another address: %v, want throttled 1 s", err)
	}
	clk.advance(time.Second)
	svc.Login(ctx, "alice", "wrong password", "10.0.0.1")
	if _, _, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.1"); !errors.As(err, &throttled) || throttled.RetryAfter != 2*time.Second {
		t.Fatalf("after 7 failures: %v, want throttled 2 s", err)
	}
	// Unknown users are throttled alike (the answers must not differ).
	for range 6 {
		svc.Login(ctx, "nobody", "wrong password", "10.0.0.7")
	}
	if _, _, err := svc.Login(ctx, "nobody", "wrong password", "10.0.0.8"); !errors.As(err, &throttled) {
		t.Fatalf("unknown user not throttled: %v", err)
	}
	clk.advance(2 * time.Second)
	if _, _, err := svc.Login(ctx, "alice", alicePassword, "10.0.0.1"); err != nil {
		t.Fatalf("after the back-off: %v", err)
	}
	// An address spraying many accounts backs off once its 20 free
	// failures are used.
	for i := range 21 {
		svc.Login(ctx, "user"+string(rune('a'+i)), "wrong password", "10.9.9.9")
	}
	if _, _, err := svc.Login(ctx, "alice", alicePassword, "10.9.9.9"); !errors.As(err, &throttled) {
		t.Fatalf("spraying address not throttled: %v", err)
	}
}

func TestTokens(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		svc, clk := accountService(t, store)
		tok, secret, err := svc.CreateToken(adminContext(), "alice", "导入脚本", 48*time.Hour)
		if err != nil || !strings.HasPrefix(secret, "sceval_") || tok.Name != "导入脚本" {
			t.Fatalf("create: %+v %q %v", tok, secret, err)
		}
		data, _ := json.Marshal(tok)
		if strings.Contains(string(data), tok.Hash) || strings.Contains(string(data), secret) {
			t.Fatalf("token JSON leaks its hash or secret: %s", data)
		}
		id, err := svc.TokenIdentity(ctx, secret)
		if err != nil || id.User != "alice" {
			t.Fatalf("token identity: %+v %v", id, err)
		}
		actx := platform.WithIdentity(ctx, id)
		list, err := svc.ListTokens(actx, "")
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("own tokens: %+v %v (use recorded?)", list, err)
		}
		clk.advance(48 * time.Hour)
		if _, err := svc.TokenIdentity(ctx, secret); platform.ErrorCodeOf(err) != "invalid_token" {
			t.Fatalf("expired token: %v", err)
		}
		tok2, secret2, _ := svc.CreateToken(actx, "", "second", 0)
		if want := clk.Now().Add(90 * 24 * time.Hour); !tok2.ExpiresAt.Equal(want) {
			t.Errorf("default expiry %v, want 90 days: %v", tok2.ExpiresAt, want)
		}
		if err := svc.RevokeToken(actx, "", tok2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TokenIdentity(ctx, secret2); platform.ErrorCodeOf(err) != "invalid_token" {
			t.Fatalf("revoked token: %v", err)
		}
		if _, _, err := svc.CreateToken(actx, "", "long", 400*24*time.Hour); platform.ErrorKindOf(err) != platform.Invalid {
			t.Fatalf("a token for 400 days: %v", err)
		}
		// Another user's token is not found, not revocable.
		if _, err := svc.CreateUser(adminContext(), platform.NewUser{Username: "bob", Role: platform.RoleExpert, Password: "bob's long password"}); err != nil {
			t.Fatal(err)
		}
		bobTok, bobSecret, _ := svc.CreateToken(adminContext(), "bob", "bob", 0)
		if err := svc.RevokeToken(actx, "", bobTok.ID); platform.ErrorKindOf(err) != platform.NotFound {
			t.Fatalf("revoking another user's token: %v", err)
		}
		if err := svc.RevokeToken(actx, "bob", bobTok.ID); platform.ErrorKindOf(err) != platform.Forbidden {
			t.Fatalf("a ministry user revoking bob's token by name: %v", err)
		}
		if _, err := svc.SetUserDisabled(adminContext(), "bob", true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TokenIdentity(ctx, bobSecret); platform.ErrorCodeOf(err) != "invalid_token" {
			t.Fatalf("disabled user's token: %v", err)
		}
	})
}

// BenchmarkTokenIdentity is the per-request cost of bearer authentication
// (one indexed join read on SQLite).
func BenchmarkTokenIdentity(b *testing.B) {
	store := sqlstoretest.SQLite(b)
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	if _, err := svc.CreateUser(adminContext(), platform.NewUser{Username: "bench", Role: platform.RoleMinistry, Password: alicePassword}); err != nil {
		b.Fatal(err)
	}
	_, secret, err := svc.CreateToken(adminContext(), "bench", "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.TokenIdentity(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}
