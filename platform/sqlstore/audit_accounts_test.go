package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// Changes to accounts, sessions and tokens are in the audit trail (issue
// 11: "every change to accounts … is appended"), and no password hash,
// session id or token hash ever is.
func TestAccountChangesAreAudited(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "operator", Roles: []string{"admin"}})
		at := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
		const hash1, hash2 = "argon2id$secret-hash-one", "argon2id$secret-hash-two"
		u, err := s.CreateUser(ctx, platform.User{Username: "wang", Role: platform.RoleMinistry, PasswordHash: hash1,
			Version: 1, CreatedAt: at, UpdatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		u.PasswordHash, u.UpdatedAt = hash2, at.Add(time.Minute)
		if u, err = s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ss := platform.Session{IDHash: "session-hash-secret", UserID: u.ID, Address: "192.0.2.1", CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour)}
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, ss.IDHash); err != nil {
			t.Fatal(err)
		}
		tok, err := s.CreateToken(ctx, platform.APIToken{UserID: u.ID, Name: "ci", Hash: "token-hash-secret", CreatedAt: at, ExpiresAt: at.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, u.ID, tok.ID, at); err != nil {
			t.Fatal(err)
		}
		rows, _, err := s.ListAudit(ctx, platform.AuditFilter{Object: fmt.Sprintf("user/%d", u.ID), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action)
			for _, secret := range []string{hash1, hash2, "session-hash-secret", "token-hash-secret"} {
				if strings.Contains(string(r.Before)+string(r.After), secret) {
					t.Errorf("audit row %d (%s) records a secret", r.ID, r.Action)
				}
			}
		}
		want := []string{"account.create", "account.password.change", "account.login", "account.logout", "token.create", "token.revoke"}
		if !slices.Equal(actions, want) {
			t.Errorf("audited actions %v, want %v", actions, want)
		}
		if v, err := platform.VerifyAuditChain(ctx, s); err != nil || !v.OK {
			t.Errorf("chain after account changes: %+v, %v", v, err)
		}
	})
}
