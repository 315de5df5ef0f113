package platform

import "context"

// Identity is who is acting: taken from the request (session cookie or
// bearer token) by the API layer. The zero Identity is anonymous.
type Identity struct {
	User  string   `json:"user"`
	Roles []string `json:"roles,omitempty"`
	// UserID is the account's id (0 for identities not backed by an
	// account, such as tests' and the demo seeder's).
	UserID int64 `json:"user_id,omitempty"`
	// Province binds a province user; PilotID a pilot user.
	Province string `json:"province,omitempty"`
	PilotID  int64  `json:"pilot_id,omitempty"`
	// MustChangePassword limits the identity to changing its password.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

// Anonymous reports whether the identity is nobody logged in.
func (id Identity) Anonymous() bool { return id.User == "" && len(id.Roles) == 0 }

// hasRole reports whether the identity has role r.
func (id Identity) hasRole(r Role) bool {
	for _, x := range id.Roles {
		if Role(x) == r {
			return true
		}
	}
	return false
}

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity in ctx, or the zero Identity.
func IdentityFrom(ctx context.Context) Identity {
	id, _ := ctx.Value(identityKey{}).(Identity)
	return id
}

// actor returns the name recorded as the actor of a change.
func actor(ctx context.Context) string {
	if u := IdentityFrom(ctx).User; u != "" {
		return u
	}
	return "anonymous"
}
