package platform

import "context"

// Identity is who is acting: taken from the request by the API layer. A later
// issue adds accounts; until then Roles are informational.
type Identity struct {
	User  string   `json:"user"`
	Roles []string `json:"roles,omitempty"`
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

// Authorize is the one place where authorization is decided. Every Service
// method calls it with an action such as "pilot.create" and the resource it
// acts on (e.g. "pilot/12"). For now every action is allowed; accounts and
// roles come with a later issue, which changes only this function.
func Authorize(ctx context.Context, action string, resource string) error {
	_ = IdentityFrom(ctx)
	_, _ = action, resource
	return nil
}
