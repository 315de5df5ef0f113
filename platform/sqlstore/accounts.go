package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sceval/sceval/platform"
)

const userColumns = `users.id, users.username, users.role, users.province_code, users.pilot_id, users.password_hash,
	users.must_change_password, users.disabled, users.version, users.created_at, users.updated_at`

// scanUser reads userColumns (plus any extra destinations first).
func scanUser(row interface{ Scan(...any) error }, extra ...any) (platform.User, error) {
	var u platform.User
	var pilot sql.NullInt64
	var mustChange, disabled int
	var created, updated int64
	dest := append(extra, &u.ID, &u.Username, &u.Role, &u.Province, &pilot, &u.PasswordHash,
		&mustChange, &disabled, &u.Version, &created, &updated)
	err := row.Scan(dest...)
	u.PilotID, u.MustChangePassword, u.Disabled = pilot.Int64, mustChange != 0, disabled != 0
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateUser inserts u and returns it with its ID.
func (s *Store) CreateUser(ctx context.Context, u platform.User) (platform.User, error) {
	err := s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, role, province_code, pilot_id, password_hash,
			must_change_password, disabled, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			u.Username, u.Role, u.Province, nullID(u.PilotID), u.PasswordHash, boolInt(u.MustChangePassword),
			boolInt(u.Disabled), u.Version, micros(u.CreatedAt), micros(u.UpdatedAt)).Scan(&u.ID)
		if isUnique(err) {
			return platform.Errorf(platform.Conflict, platform.CodeDuplicate, "用户名 %s 已存在", u.Username)
		}
		if err == nil { // the password hash is never serialised (json:"-")
			tx.record(ctx, platform.AuditEvent{Action: "account.create", Object: userObject(u.ID), After: u})
		}
		return err
	})
	if err != nil {
		return platform.User{}, err
	}
	return u, nil
}

// getUser returns the user matching cond ($1 = arg).
func (s *Store) getUser(ctx context.Context, cond string, arg any, what string) (platform.User, error) {
	u, err := scanUser(s.rdb.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, platform.NotFoundf("用户 %s 不存在", what)
	}
	if err != nil {
		return u, fmt.Errorf("get user %s: %w", what, err)
	}
	return u, nil
}

// GetUser returns the user with the given ID.
func (s *Store) GetUser(ctx context.Context, id int64) (platform.User, error) {
	return s.getUser(ctx, `id = $1`, id, fmt.Sprint(id))
}

// GetUserByName returns the user with the given username.
func (s *Store) GetUserByName(ctx context.Context, username string) (platform.User, error) {
	return s.getUser(ctx, `username = $1`, username, username)
}

// ListUsers returns every user ordered by username.
func (s *Store) ListUsers(ctx context.Context) ([]platform.User, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []platform.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts the users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser writes u if its version is current and returns it with the
// next version.
func (s *Store) UpdateUser(ctx context.Context, u platform.User) (platform.User, error) {
	err := s.write(ctx, func(tx *wtx) error {
		before, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, u.ID))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read user %s: %w", u.Username, err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, province_code = $2, pilot_id = $3, password_hash = $4,
			must_change_password = $5, disabled = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			u.Role, u.Province, nullID(u.PilotID), u.PasswordHash, boolInt(u.MustChangePassword), boolInt(u.Disabled),
			micros(u.UpdatedAt), u.ID, u.Version)
		if err != nil {
			return fmt.Errorf("update user %s: %w", u.Username, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			cur, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, u.ID))
			if errors.Is(err, sql.ErrNoRows) {
				return platform.NotFoundf("用户 %s 不存在", u.Username)
			}
			if err != nil {
				return fmt.Errorf("update user %s: %w", u.Username, err)
			}
			return platform.StaleVersion("user", u.Username, u.Version, cur.Version, cur)
		}
		after := u
		after.Version++
		action := "account.update"
		if before.PasswordHash != u.PasswordHash {
			action = "account.password.change" // the hashes themselves are never recorded
		}
		tx.record(ctx, platform.AuditEvent{Action: action, Object: userObject(u.ID), Before: before, After: after})
		return nil
	})
	if err != nil {
		return platform.User{}, err
	}
	u.Version++
	return u, nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss platform.Session) error {
	return s.write(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, address, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, ss.IDHash, ss.UserID, ss.Address, micros(ss.CreatedAt), micros(ss.LastSeenAt), micros(ss.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		// The session's id (even hashed) stays out of the trail.
		tx.record(ctx, platform.AuditEvent{Action: "account.login", Object: userObject(ss.UserID),
			After: map[string]any{"address": ss.Address, "expires_at": ss.ExpiresAt}})
		return nil
	})
}

// SessionUser returns a session and its user.
func (s *Store) SessionUser(ctx context.Context, idHash string) (platform.Session, platform.User, error) {
	ss := platform.Session{IDHash: idHash}
	var created, seen, expires int64
	u, err := scanUser(s.rdb.QueryRowContext(ctx, `SELECT sessions.user_id, sessions.address, sessions.created_at,
		sessions.last_seen_at, sessions.expires_at, `+userColumns+`
		FROM sessions JOIN users ON users.id = sessions.user_id WHERE sessions.id_hash = $1`, idHash),
		&ss.UserID, &ss.Address, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ss, u, platform.NotFoundf("session does not exist")
	}
	if err != nil {
		return ss, u, fmt.Errorf("read session: %w", err)
	}
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return ss, u, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return s.exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, micros(at), idHash)
}

// DeleteSession removes one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.write(ctx, func(tx *wtx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE id_hash = $1 RETURNING user_id`, idHash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		tx.record(ctx, platform.AuditEvent{Action: "account.logout", Object: userObject(userID)})
		return nil
	})
}

// DeleteUserSessions removes a user's sessions and counts them.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return fmt.Errorf("delete sessions of user %d: %w", userID, err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		tx.record(ctx, platform.AuditEvent{Action: "account.logout_everywhere", Object: userObject(userID),
			After: map[string]int64{"sessions_ended": n}})
		return nil
	})
	return int(n), err
}

// userObject names a user in the audit trail.
func userObject(id int64) string { return fmt.Sprintf("user/%d", id) }

// DeleteStaleSessions removes expired and idle sessions.
func (s *Store) DeleteStaleSessions(ctx context.Context, expiredAt, idleSince time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
			micros(expiredAt), micros(idleSince))
		if err != nil {
			return fmt.Errorf("delete stale sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// exec runs one statement in a write transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	return s.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("%s: %w", query, err)
		}
		return nil
	})
}
