package platform

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do; the authorization table (authz.go) grants
// actions per role.
type Role string

// The roles (issue 11): admin manages users and may do everything; ministry
// runs the programme for every province; province reviews the pilots of one
// province; pilot edits its own submissions; expert reviews the submissions
// assigned to it.
const (
	RoleAdmin    Role = "admin"
	RoleMinistry Role = "ministry"
	RoleProvince Role = "province"
	RolePilot    Role = "pilot"
	RoleExpert   Role = "expert"
)

// Roles lists every role in the order shown to users.
var Roles = []Role{RoleAdmin, RoleMinistry, RoleProvince, RolePilot, RoleExpert}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Bounds of identity-derived fields written to the database (issue 11 item
// 6): a request can never make a row grow without limit.
const (
	MaxUsernameLength  = 64 // characters
	MaxTokenNameLength = 100
	maxAddressLength   = 64 // bytes; an IPv6 address with zone fits
)

// User is an account. PasswordHash never leaves the platform.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Role     Role   `json:"role"`
	// Province is the 2-digit province code a province user is bound to.
	Province string `json:"province,omitempty"`
	// PilotID is the pilot a pilot user is bound to.
	PilotID int64 `json:"pilot_id,omitempty"`
	// MustChangePassword is set for passwords chosen by someone else (an
	// operator's create or reset): until changed, the account may only
	// change its password, read itself and log out.
	MustChangePassword bool      `json:"must_change_password"`
	Disabled           bool      `json:"disabled"`
	Version            int       `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	PasswordHash       string    `json:"-"`
}

// Identity returns the identity a request made by u carries.
func (u User) Identity() Identity {
	return Identity{User: u.Username, Roles: []string{string(u.Role)}, UserID: u.ID, Province: u.Province,
		PilotID: u.PilotID, MustChangePassword: u.MustChangePassword}
}

// NewUser is what creating an account needs.
type NewUser struct {
	Username string `json:"username"`
	Role     Role   `json:"role"`
	Province string `json:"province,omitempty"`
	PilotID  int64  `json:"pilot_id,omitempty"`
	Password string `json:"password"`
	// MustChangePassword forces a change at the first login (set when an
	// operator chooses the password for someone else).
	MustChangePassword bool `json:"must_change_password"`
}

// Session is a browser session: its id is a random secret sent in a cookie,
// stored only as its SHA-256.
type Session struct {
	IDHash     string
	UserID     int64
	Address    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// ExpiresAt is the absolute expiry, fixed at login.
	ExpiresAt time.Time
}

// APIToken is a bearer token for machine clients; the secret is shown once
// at creation and stored only as its SHA-256.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Hash       string     `json:"-"`
}

// AccountStore persists users, sessions and API tokens.
type AccountStore interface {
	// CreateUser inserts u (ID set); a taken username is a Conflict
	// "duplicate".
	CreateUser(ctx context.Context, u User) (User, error)
	// GetUser and GetUserByName return one user (kind NotFound if absent).
	GetUser(ctx context.Context, id int64) (User, error)
	GetUserByName(ctx context.Context, username string) (User, error)
	// ListUsers returns every user by username.
	ListUsers(ctx context.Context) ([]User, error)
	// CountUsers counts the users.
	CountUsers(ctx context.Context) (int, error)
	// UpdateUser writes u if u.Version is current (else stale_version).
	UpdateUser(ctx context.Context, u User) (User, error)

	// CreateSession stores a session.
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the session with the given id hash and its user
	// (kind NotFound if absent).
	SessionUser(ctx context.Context, idHash string) (Session, User, error)
	// TouchSession records activity on a session.
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	// DeleteSession removes one session (no error if absent).
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteUserSessions removes every session of a user and returns how
	// many there were.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// DeleteStaleSessions removes the sessions that expired (expires_at
	// at or before expiredAt) or were last seen at or before idleSince.
	DeleteStaleSessions(ctx context.Context, expiredAt, idleSince time.Time) (int, error)

	// CreateToken stores a token (ID set).
	CreateToken(ctx context.Context, t APIToken) (APIToken, error)
	// TokenUser returns the token with the given hash and its user (kind
	// NotFound if absent).
	TokenUser(ctx context.Context, hash string) (APIToken, User, error)
	// ListTokens returns a user's tokens, newest first.
	ListTokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeToken sets a token's revocation time (kind NotFound if the
	// user has no such token).
	RevokeToken(ctx context.Context, userID, tokenID int64, at time.Time) error
	// TouchToken records the token's use.
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// checkUsername validates a username: 1–64 characters, no spaces or
// control characters.
func checkUsername(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > MaxUsernameLength || !utf8.ValidString(name) {
		return invalidField("username", CodeBadValue, "用户名须为 1–%d 个字符", MaxUsernameLength)
	}
	if strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalidField("username", CodeBadValue, "用户名 %q 不能包含空白或控制字符", name)
	}
	return nil
}

// checkBinding validates a role and what it is bound to: a province user
// needs a 2-digit province code, a pilot user a pilot; other roles neither.
func (s *Service) checkBinding(ctx context.Context, role Role, province string, pilotID int64) error {
	if !role.Valid() {
		return invalidField("role", CodeBadValue, "角色 %q 未知（可选：admin, ministry, province, pilot, expert）", role)
	}
	switch role {
	case RoleProvince:
		if len(province) != 2 || strings.Trim(province, "0123456789") != "" {
			return invalidField("province", CodeRequired, "province 角色须绑定两位省级代码（如 13 河北省）")
		}
		if pilotID != 0 {
			return invalidField("pilot_id", CodeBadValue, "province 角色不绑定试点")
		}
	case RolePilot:
		if pilotID <= 0 {
			return invalidField("pilot_id", CodeRequired, "pilot 角色须绑定一个试点（--pilot ID）")
		}
		if _, err := s.store.GetPilot(ctx, pilotID); ErrorKindOf(err) == NotFound {
			return invalidField("pilot_id", CodeBadValue, "试点 %d 不存在", pilotID)
		} else if err != nil {
			return fmt.Errorf("pilot %d: %w", pilotID, err)
		}
		if province != "" {
			return invalidField("province", CodeBadValue, "pilot 角色不绑定省份（由试点决定）")
		}
	default:
		if province != "" || pilotID != 0 {
			return invalidField("role", CodeBadValue, "%s 角色不绑定省份或试点", role)
		}
	}
	return nil
}
