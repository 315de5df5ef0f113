package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sceval/sceval/platform"
)

const tokenColumns = `api_tokens.id, api_tokens.user_id, api_tokens.name, api_tokens.token_hash, api_tokens.created_at,
	api_tokens.expires_at, api_tokens.last_used_at, api_tokens.revoked_at`

// tokenDest returns scan destinations for tokenColumns and a function that
// finishes t after the scan.
func tokenDest(t *platform.APIToken) ([]any, func()) {
	var created, expires int64
	var used, revoked sql.NullInt64
	return []any{&t.ID, &t.UserID, &t.Name, &t.Hash, &created, &expires, &used, &revoked}, func() {
		t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
		t.LastUsedAt, t.RevokedAt = fromNullMicros(used), fromNullMicros(revoked)
	}
}

// CreateToken stores a token and returns it with its ID.
func (s *Store) CreateToken(ctx context.Context, t platform.APIToken) (platform.APIToken, error) {
	err := s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.UserID, t.Name, t.Hash, micros(t.CreatedAt), micros(t.ExpiresAt)).Scan(&t.ID)
		if err == nil { // the token's hash is never serialised (json:"-")
			tx.record(ctx, platform.AuditEvent{Action: "token.create", Object: fmt.Sprintf("user/%d/token/%d", t.UserID, t.ID), After: t})
		}
		return err
	})
	if err != nil {
		return platform.APIToken{}, fmt.Errorf("insert token: %w", err)
	}
	return t, nil
}

// TokenUser returns a token by hash and its user.
func (s *Store) TokenUser(ctx context.Context, hash string) (platform.APIToken, platform.User, error) {
	var t platform.APIToken
	dest, finish := tokenDest(&t)
	u, err := scanUser(s.rdb.QueryRowContext(ctx, `SELECT `+tokenColumns+`, `+userColumns+`
		FROM api_tokens JOIN users ON users.id = api_tokens.user_id WHERE api_tokens.token_hash = $1`, hash), dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return t, u, platform.NotFoundf("token does not exist")
	}
	if err != nil {
		return t, u, fmt.Errorf("read token: %w", err)
	}
	finish()
	return t, u, nil
}

// ListTokens returns a user's tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]platform.APIToken, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []platform.APIToken{}
	for rows.Next() {
		var t platform.APIToken
		dest, finish := tokenDest(&t)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		finish()
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of a user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64, at time.Time) error {
	return s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND user_id = $3`,
			micros(at), tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token %d: %w", tokenID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.NotFoundf("令牌 %d 不存在", tokenID)
		}
		tx.record(ctx, platform.AuditEvent{Action: "token.revoke", Object: fmt.Sprintf("user/%d/token/%d", userID, tokenID),
			After: map[string]any{"revoked_at": at}})
		return nil
	})
}

// TouchToken records a token's use.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(at), id)
}
