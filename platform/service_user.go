package platform

import (
	"context"
	"fmt"
	"time"
)

// CreateUser creates an account (admin only; "user.create"). The password
// must pass CheckPasswordPolicy.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	if err := authorize(ctx, "user.create", "user"); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, nu)
}

// createUser validates and stores an account.
func (s *Service) createUser(ctx context.Context, nu NewUser) (User, error) {
	if err := checkUsername(nu.Username); err != nil {
		return User{}, err
	}
	if err := s.checkBinding(ctx, nu.Role, nu.Province, nu.PilotID); err != nil {
		return User{}, err
	}
	if err := CheckPasswordPolicy(nu.Username, nu.Password); err != nil {
		return User{}, err
	}
	h, err := HashPassword(nu.Password, s.opts.Accounts.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{Username: nu.Username, Role: nu.Role, Province: nu.Province, PilotID: nu.PilotID, PasswordHash: h,
		MustChangePassword: nu.MustChangePassword, Version: 1, CreatedAt: now, UpdatedAt: now}
	out, err := s.store.CreateUser(ctx, u)
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", nu.Username, err)
	}
	return out, nil
}

// SetupFirstAdmin creates the first administrator, and only while the
// database has no user at all (conflict "setup_done" afterwards). The API
// layer calls it for the holder of the one-time setup link that `serve`
// prints on an empty database.
func (s *Service) SetupFirstAdmin(ctx context.Context, username, password string) (User, error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil {
		return User{}, fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return User{}, Errorf(Conflict, "setup_done", "已有账户，初始设置链接已失效 (setup already done)")
	}
	return s.createUser(ctx, NewUser{Username: username, Role: RoleAdmin, Password: password})
}

// CountUsers returns the number of accounts (no authorization: `serve`
// asks it before anyone can log in).
func (s *Service) CountUsers(ctx context.Context) (int, error) { return s.store.CountUsers(ctx) }

// ListUsers returns every account ("user.list", admin only).
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	if err := authorize(ctx, "user.list", "user"); err != nil {
		return nil, err
	}
	return s.store.ListUsers(ctx)
}

// GetUserByName returns one account ("user.list", admin only).
func (s *Service) GetUserByName(ctx context.Context, username string) (User, error) {
	if err := authorize(ctx, "user.list", "user"); err != nil {
		return User{}, err
	}
	return s.store.GetUserByName(ctx, username)
}

// SetUserDisabled disables or enables an account ("user.update"). Disabling
// ends its sessions at once; its tokens stop working while it is disabled.
func (s *Service) SetUserDisabled(ctx context.Context, username string, disabled bool) (User, error) {
	return s.updateUser(ctx, username, func(u *User) error {
		u.Disabled = disabled
		return nil
	})
}

// ResetPassword sets a new password chosen by an operator ("user.update"):
// the user must change it at the next login, and its sessions end.
func (s *Service) ResetPassword(ctx context.Context, username, password string) (User, error) {
	if err := authorize(ctx, "user.update", "user"); err != nil {
		return User{}, err
	}
	u, err := s.store.GetUserByName(ctx, username)
	if err != nil {
		return User{}, err
	}
	if u, err = s.setPassword(ctx, u, password, true); err != nil {
		return User{}, err
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
		return User{}, fmt.Errorf("end sessions of %s: %w", username, err)
	}
	return u, nil
}

// SetRole changes an account's role and binding ("user.update"); its
// sessions end, so the new rights apply from the next login.
func (s *Service) SetRole(ctx context.Context, username string, role Role, province string, pilotID int64) (User, error) {
	return s.updateUser(ctx, username, func(u *User) error {
		if err := s.checkBinding(ctx, role, province, pilotID); err != nil {
			return err
		}
		u.Role, u.Province, u.PilotID = role, province, pilotID
		return nil
	})
}

// updateUser applies change to an account and ends its sessions.
func (s *Service) updateUser(ctx context.Context, username string, change func(*User) error) (User, error) {
	if err := authorize(ctx, "user.update", "user"); err != nil {
		return User{}, err
	}
	u, err := s.store.GetUserByName(ctx, username)
	if err != nil {
		return User{}, err
	}
	if err := change(&u); err != nil {
		return User{}, err
	}
	u.UpdatedAt = s.now()
	out, err := s.store.UpdateUser(ctx, u)
	if err != nil {
		return User{}, fmt.Errorf("update user %s: %w", username, err)
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
		return User{}, fmt.Errorf("end sessions of %s: %w", username, err)
	}
	return out, nil
}

// CreateToken creates an API token named name for the calling user, or for
// username when given (admin only, "user.update"), valid for ttl (0: the
// default; at most TokenMaxTTL). The secret is returned once and never
// stored.
func (s *Service) CreateToken(ctx context.Context, username, name string, ttl time.Duration) (APIToken, string, error) {
	u, err := s.tokenOwner(ctx, "token.create", username)
	if err != nil {
		return APIToken{}, "", err
	}
	if n := len([]rune(name)); n == 0 || n > MaxTokenNameLength {
		return APIToken{}, "", invalidField("name", CodeBadValue, "令牌名称须为 1–%d 个字符", MaxTokenNameLength)
	}
	opts := s.opts.Accounts
	if ttl == 0 {
		ttl = opts.TokenTTL
	}
	if ttl < time.Minute || ttl > opts.TokenMaxTTL {
		return APIToken{}, "", invalidField("expires_in", CodeOutOfRange, "令牌有效期须在 1 分钟到 %d 天之间", int(opts.TokenMaxTTL.Hours()/24))
	}
	secret := newSecret("sceval_")
	now := s.now()
	t, err := s.store.CreateToken(ctx, APIToken{UserID: u.ID, Name: name, CreatedAt: now, ExpiresAt: now.Add(ttl), Hash: hashSecret(secret)})
	if err != nil {
		return APIToken{}, "", fmt.Errorf("create token %q: %w", name, err)
	}
	return t, secret, nil
}

// ListTokens returns the calling user's tokens, or username's (admin).
func (s *Service) ListTokens(ctx context.Context, username string) ([]APIToken, error) {
	u, err := s.tokenOwner(ctx, "token.list", username)
	if err != nil {
		return nil, err
	}
	return s.store.ListTokens(ctx, u.ID)
}

// RevokeToken revokes one of the calling user's tokens, or username's
// (admin).
func (s *Service) RevokeToken(ctx context.Context, username string, tokenID int64) error {
	u, err := s.tokenOwner(ctx, "token.revoke", username)
	if err != nil {
		return err
	}
	return s.store.RevokeToken(ctx, u.ID, tokenID, s.now())
}

// tokenOwner authorizes a token action and returns whose tokens it is on:
// the caller's own, or (admin) another user's.
func (s *Service) tokenOwner(ctx context.Context, action, username string) (User, error) {
	id := IdentityFrom(ctx)
	if username == "" || username == id.User && id.UserID != 0 {
		if err := authorize(ctx, action, "account"); err != nil {
			return User{}, err
		}
		if id.UserID == 0 {
			return User{}, Errorf(Invalid, CodeRequired, "%s: the caller has no account; name the user", action)
		}
		return s.store.GetUser(ctx, id.UserID)
	}
	if err := authorize(ctx, "user.update", "user"); err != nil {
		return User{}, err
	}
	return s.store.GetUserByName(ctx, username)
}
