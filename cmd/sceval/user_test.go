package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
)

func TestUserAndTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	out, err := runCLI(t, "user", "list", "--db", db)
	if err != nil || !strings.Contains(out, "no accounts yet") {
		t.Fatalf("list on an empty database: %q %v", out, err)
	}
	out, err = runCLI(t, "user", "create", "alice", "--role", "admin", "--db", db)
	m := regexp.MustCompile(`(?m)^password: (\S{20})$`).FindStringSubmatch(out)
	if err != nil || m == nil || !strings.Contains(out, "must be changed at the first login") {
		t.Fatalf("create: %q %v", out, err)
	}
	if _, err = runCLI(t, "user", "create", "hebei", "--role", "province", "--db", db); err == nil ||
		!strings.Contains(err.Error(), "province") {
		t.Errorf("province without --province: %v", err)
	}
	if _, err = runCLI(t, "user", "create", "hebei", "--role", "province", "--province", "13", "--db", db); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"disable", "hebei"}, {"set-role", "hebei", "--role", "ministry"}, {"reset-password", "hebei"}} {
		if out, err := runCLI(t, append([]string{"user"}, append(args, "--db", db)...)...); err != nil {
			t.Fatalf("user %v: %q %v", args, out, err)
		}
	}
	out, _ = runCLI(t, "user", "list", "--db", db)
	if !regexp.MustCompile(`hebei\s+ministry\s+disabled`).MatchString(out) {
		t.Errorf("list after disable and set-role:\n%s", out)
	}
	out, err = runCLI(t, "token", "create", "--user", "alice", "--name", "脚本", "--db", db)
	secret := regexp.MustCompile(`(?m)^(sceval_\S+)$`).FindStringSubmatch(out)
	if err != nil || secret == nil {
		t.Fatalf("token create: %q %v", out, err)
	}
	// The printed secret authenticates as alice; after revoke it does not.
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	if id, err := svc.TokenIdentity(ctx, secret[1]); err != nil || id.User != "alice" {
		t.Fatalf("token identity: %+v %v", id, err)
	}
	if _, err := runCLI(t, "token", "revoke", "--user", "alice", "1", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TokenIdentity(ctx, secret[1]); platform.ErrorCodeOf(err) != "invalid_token" {
		t.Fatalf("revoked token: %v", err)
	}
	if _, _, err := svc.Login(ctx, "alice", m[1], "127.0.0.1"); err != nil {
		t.Fatalf("login with the printed password: %v", err)
	}
}
