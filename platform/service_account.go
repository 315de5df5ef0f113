package platform

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// AccountOptions configures passwords, sessions and login throttling. Zero
// values mean the defaults.
type AccountOptions struct {
	// Password is the argon2id configuration of new hashes
	// (DefaultPasswordParams).
	Password PasswordParams
	// SessionIdle ends a session unused for this long (2 h); SessionMax
	// ends any session this long after login (12 h).
	SessionIdle, SessionMax time.Duration
	// TokenTTL is an API token's lifetime when none is asked for (90
	// days); TokenMaxTTL the longest allowed (1 year).
	TokenTTL, TokenMaxTTL time.Duration
}

// Account defaults.
const (
	defaultSessionIdle = 2 * time.Hour
	defaultSessionMax  = 12 * time.Hour
	defaultTokenTTL    = 90 * 24 * time.Hour
	defaultTokenMaxTTL = 365 * 24 * time.Hour
	// touchEvery limits activity writes to one per session or token per
	// minute, so that authenticating a request is a read.
	touchEvery = time.Minute
	// Login throttling: an account gets 5 free failures, an address 20
	// (a shared NAT); then 1 s, 2 s, 4 s … up to 15 minutes.
	accountFreeFailures = 5
	addressFreeFailures = 20
	throttleBase        = time.Second
	throttleMax         = 15 * time.Minute
)

func (o *AccountOptions) setDefaults() {
	if o.Password.Memory == 0 {
		o.Password = DefaultPasswordParams
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = defaultSessionIdle
	}
	if o.SessionMax <= 0 {
		o.SessionMax = defaultSessionMax
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = defaultTokenTTL
	}
	if o.TokenMaxTTL <= 0 {
		o.TokenMaxTTL = defaultTokenMaxTTL
	}
}

// dummyHash is verified against when the username is unknown, so that an
// unknown user costs the same time as a wrong password. It is computed on
// first use: an argon2id hash at package init cost every command, even
// `sceval version`, 85 ms of start-up (issue 9, item 12).
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("sceval-no-such-user", DefaultPasswordParams)
	return h
})

// newSecret returns a random 256-bit secret, base64url-encoded, with prefix.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is the stored form of a session id or token: hex SHA-256. The
// secrets carry 256 random bits, so a fast hash is enough (OWASP Session
// Management Cheat Sheet).
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// boundAddress truncates a client address for storage.
func boundAddress(addr string) string {
	if len(addr) > maxAddressLength {
		return addr[:maxAddressLength]
	}
	return addr
}

// invalidCredentials is the one answer to a failed login, whether the user
// is unknown, disabled or the password wrong.
func invalidCredentials() *Error {
	return &Error{Kind: Unauthenticated, Code: "invalid_credentials", Message: "用户名或密码错误 (invalid username or password)"}
}

// Login checks a username and password from address and opens a new
// session: the session secret (for the cookie) and the user. Every failure
// answers invalid_credentials; repeated failures per account and per
// address answer *LoginThrottled until their back-off has passed.
func (s *Service) Login(ctx context.Context, username, password, address string) (User, string, error) {
	now := s.now()
	if len(username) > 4*MaxUsernameLength {
		username = username[:4*MaxUsernameLength] // bounds the throttle key; no such user exists
	}
	userKey, addrKey := "user:"+username, "addr:"+boundAddress(address)
	if w := max(s.logins.wait(userKey, now), s.addresses.wait(addrKey, now)); w > 0 {
		return User{}, "", &LoginThrottled{RetryAfter: w}
	}
	u, err := s.store.GetUserByName(ctx, username)
	if err != nil && ErrorKindOf(err) != NotFound {
		return User{}, "", fmt.Errorf("login %s: %w", username, err)
	}
	hash := dummyHash()
	if err == nil {
		hash = u.PasswordHash
	}
	if !VerifyPassword(password, hash) || err != nil || u.Disabled {
		s.logins.fail(userKey, now)
		s.addresses.fail(addrKey, now)
		return User{}, "", invalidCredentials()
	}
	s.logins.succeed(userKey)
	s.addresses.succeed(addrKey)
	secret := newSecret("")
	sess := Session{IDHash: hashSecret(secret), UserID: u.ID, Address: boundAddress(address), CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(s.opts.Accounts.SessionMax)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return User{}, "", fmt.Errorf("create session for %s: %w", username, err)
	}
	// Sessions nobody ends explicitly are swept here, at the rate of
	// logins, so the table holds only live sessions and recent stale ones.
	if _, err := s.store.DeleteStaleSessions(ctx, now, now.Add(-s.opts.Accounts.SessionIdle)); err != nil {
		return User{}, "", fmt.Errorf("sweep stale sessions: %w", err)
	}
	return u, secret, nil
}

// Logout ends the session with the given secret (nothing if unknown).
func (s *Service) Logout(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashSecret(secret))
}

// LogoutEverywhere ends every session of the calling user and returns how
// many there were.
func (s *Service) LogoutEverywhere(ctx context.Context) (int, error) {
	if err := authorize(ctx, "account.read", "account"); err != nil {
		return 0, err
	}
	id := IdentityFrom(ctx)
	if id.UserID == 0 {
		return 0, nil
	}
	return s.store.DeleteUserSessions(ctx, id.UserID)
}

// errNoSession is the refusal of an unknown, expired or disabled session.
var errNoSession = &Error{Kind: Unauthenticated, Code: "session_expired", Message: "会话已失效，请重新登录 (session expired)"}

// SessionIdentity returns the identity of a session secret, ending the
// session when it is idle for longer than SessionIdle or older than its
// absolute expiry; kind Unauthenticated when it is not valid.
func (s *Service) SessionIdentity(ctx context.Context, secret string) (Identity, error) {
	h := hashSecret(secret)
	sess, u, err := s.store.SessionUser(ctx, h)
	if ErrorKindOf(err) == NotFound {
		return Identity{}, errNoSession
	}
	if err != nil {
		return Identity{}, fmt.Errorf("read session: %w", err)
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) >= s.opts.Accounts.SessionIdle || u.Disabled {
		if err := s.store.DeleteSession(ctx, h); err != nil {
			return Identity{}, fmt.Errorf("end session: %w", err)
		}
		return Identity{}, errNoSession
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.store.TouchSession(ctx, h, now); err != nil {
			return Identity{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return u.Identity(), nil
}

// errBadToken is the refusal of an unknown, expired, revoked or disabled
// user's token.
var errBadToken = &Error{Kind: Unauthenticated, Code: "invalid_token", Message: "API 令牌无效、已过期或已撤销 (invalid token)"}

// TokenIdentity returns the identity of a bearer token; kind
// Unauthenticated when it is unknown, expired, revoked or its user disabled.
func (s *Service) TokenIdentity(ctx context.Context, secret string) (Identity, error) {
	t, u, err := s.store.TokenUser(ctx, hashSecret(secret))
	if ErrorKindOf(err) == NotFound {
		return Identity{}, errBadToken
	}
	if err != nil {
		return Identity{}, fmt.Errorf("read token: %w", err)
	}
	now := s.now()
	if t.RevokedAt != nil || !now.Before(t.ExpiresAt) || u.Disabled {
		return Identity{}, errBadToken
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return Identity{}, fmt.Errorf("touch token: %w", err)
		}
	}
	return u.Identity(), nil
}

// Me returns the calling user's account.
func (s *Service) Me(ctx context.Context) (User, error) {
	if err := authorize(ctx, "account.read", "account"); err != nil {
		return User{}, err
	}
	id := IdentityFrom(ctx)
	if id.UserID == 0 {
		return User{Username: id.User, Role: firstRole(id)}, nil
	}
	return s.store.GetUser(ctx, id.UserID)
}

// firstRole returns the identity's first role.
func firstRole(id Identity) Role {
	if len(id.Roles) == 0 {
		return ""
	}
	return Role(id.Roles[0])
}

// ChangePassword replaces the calling user's password after checking the
// current one, clears the forced change and ends every session of the user
// (the API layer logs the caller in again with the new password).
func (s *Service) ChangePassword(ctx context.Context, current, next string) (User, error) {
	if err := authorize(ctx, "account.password.change", "account"); err != nil {
		return User{}, err
	}
	id := IdentityFrom(ctx)
	u, err := s.store.GetUser(ctx, id.UserID)
	if err != nil {
		return User{}, err
	}
	if !VerifyPassword(current, u.PasswordHash) {
		e := invalidField("current_password", "invalid_credentials", "当前密码不正确")
		return User{}, e
	}
	if next == current {
		return User{}, invalidField("password", "weak_password", "新密码不能与当前密码相同")
	}
	if u, err = s.setPassword(ctx, u, next, false); err != nil {
		return User{}, err
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
		return User{}, fmt.Errorf("end sessions of %s: %w", u.Username, err)
	}
	return u, nil
}

// setPassword checks the policy, hashes and stores a new password.
func (s *Service) setPassword(ctx context.Context, u User, password string, mustChange bool) (User, error) {
	if err := CheckPasswordPolicy(u.Username, password); err != nil {
		return User{}, err
	}
	h, err := HashPassword(password, s.opts.Accounts.Password)
	if err != nil {
		return User{}, err
	}
	u.PasswordHash, u.MustChangePassword, u.UpdatedAt = h, mustChange, s.now()
	out, err := s.store.UpdateUser(ctx, u)
	if err != nil {
		return User{}, fmt.Errorf("update user %s: %w", u.Username, err)
	}
	return out, nil
}
