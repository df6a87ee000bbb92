// Package session keeps browser sessions (SPEC sections 5 and 8) in the database, so that they
// survive restarts and work across instances.
//
// The browser holds an opaque random id (32 bytes, base64url) in an HttpOnly, SameSite=Lax
// cookie; the database holds only its SHA-256, so a copy of the database hands out no session.
// Every sign-in gets a new id. A session ends after IdleTimeout without a request, after
// Lifetime whatever the activity, or at sign-out. Expired sessions and sign-ins in progress
// (LoginState rows) are removed by Cleanup, which serve runs periodically with RunCleanup.
package session

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/loginstate"
	"sitekeeper/ent/session"
	"sitekeeper/internal/rule"
)

// Lifetimes (SPEC section 8).
const (
	// IdleTimeout ends a session that made no request for this long.
	IdleTimeout = 30 * time.Minute
	// Lifetime ends a session this long after sign-in, however active it is.
	Lifetime = 10 * time.Hour
	// TouchEvery bounds the writes of last_seen_at: a session used several times a minute is
	// written once a minute. The idle timeout is thus measured with up to this much slack.
	TouchEvery = time.Minute
	// CleanupEvery is how often RunCleanup removes expired rows.
	CleanupEvery = 10 * time.Minute
)

// Cookie names. The __Host- prefix (only over https) makes the browser refuse the cookie unless
// it is Secure, has Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
const (
	CookieName       = "sitekeeper_session"
	SecureCookieName = "__Host-sitekeeper"
)

// tokenBytes is the entropy of a session id.
const tokenBytes = 32

// tokenLen is the length of its base64url (unpadded) text.
var tokenLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// ErrNoSession is returned by Lookup for an unknown, expired or malformed session id.
var ErrNoSession = errors.New("session: no such session")

// Config configures a Store.
type Config struct {
	// Secure makes the cookie Secure and names it SecureCookieName: set it when the public URL
	// is https (see SecureFor).
	Secure bool
	// Now is the clock; time.Now when nil. Tests move it.
	Now    func() time.Time
	Logger *slog.Logger
}

// SecureFor reports whether cookies for publicURL must be Secure (it is https).
func SecureFor(publicURL string) bool {
	return strings.HasPrefix(strings.ToLower(publicURL), "https://")
}

// Store creates, finds and ends sessions.
type Store struct {
	client *ent.Client
	secure bool
	now    func() time.Time
	log    *slog.Logger
}

// New returns a Store over client.
func New(client *ent.Client, cfg Config) *Store {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Store{client: client, secure: cfg.Secure, now: now, log: log}
}

// Session is a live browser session.
type Session struct {
	ID         int
	UserID     int
	Operator   bool
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Now is the store's clock (UTC).
func (s *Store) Now() time.Time { return s.now().UTC() }

// hash is what the database stores of a session id.
func hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wellFormed reports whether token could be a session id this package issued; anything else is
// refused before it reaches the database.
func wellFormed(token string) bool {
	if len(token) != tokenLen {
		return false
	}
	for _, c := range []byte(token) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// NewToken returns a fresh random id: 32 bytes from crypto/rand, base64url without padding.
func NewToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Create starts a session for userID and returns its id, the cookie's value. The id is always
// new: an id the browser presented before signing in is never reused (no session fixation).
func (s *Store) Create(ctx context.Context, userID int, operator bool) (string, *Session, error) {
	now := s.Now()
	token := NewToken()
	row, err := s.client.Session.Create().
		SetTokenHash(hash(token)).
		SetUserID(userID).
		SetOperator(operator).
		SetCreatedAt(now).
		SetLastSeenAt(now).
		SetExpiresAt(now.Add(Lifetime)).
		Save(rule.AsSitekeeper(ctx))
	if err != nil {
		return "", nil, fmt.Errorf("session: create: %w", err)
	}
	return token, fromRow(row), nil
}

func fromRow(r *ent.Session) *Session {
	return &Session{ID: r.ID, UserID: r.UserID, Operator: r.Operator, CreatedAt: r.CreatedAt,
		LastSeenAt: r.LastSeenAt, ExpiresAt: r.ExpiresAt}
}

// expired reports why a session is over at now, or "".
func expired(r *ent.Session, now time.Time) string {
	switch {
	case !now.Before(r.ExpiresAt):
		return "lifetime"
	case now.Sub(r.LastSeenAt) >= IdleTimeout:
		return "idle"
	}
	return ""
}

// Lookup returns the live session of token and records the activity (last_seen_at, at most once
// per TouchEvery). An unknown, malformed or expired id is ErrNoSession; an expired session is
// deleted on the way.
func (s *Store) Lookup(ctx context.Context, token string) (*Session, error) {
	if !wellFormed(token) {
		return nil, ErrNoSession
	}
	sys := rule.AsSitekeeper(ctx)
	row, err := s.client.Session.Query().Where(session.TokenHash(hash(token))).Only(sys)
	if ent.IsNotFound(err) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("session: lookup: %w", err)
	}
	now := s.Now()
	if why := expired(row, now); why != "" {
		if err := s.client.Session.DeleteOneID(row.ID).Exec(sys); err != nil && !ent.IsNotFound(err) {
			s.log.WarnContext(ctx, "session: deleting an expired session failed", "session", row.ID, "err", err)
		}
		s.log.InfoContext(ctx, "session: expired", "session", row.ID, "user", row.UserID, "reason", why)
		return nil, ErrNoSession
	}
	if now.Sub(row.LastSeenAt) >= TouchEvery {
		n, err := s.client.Session.Update().
			Where(session.ID(row.ID), session.LastSeenAtLT(now)).
			SetLastSeenAt(now).
			Save(sys)
		if err != nil {
			// The request is still theirs; the next one records the activity.
			s.log.WarnContext(ctx, "session: recording activity failed", "session", row.ID, "err", err)
		} else if n == 1 {
			row.LastSeenAt = now
		}
	}
	return fromRow(row), nil
}

// Delete ends the session of token, if any (sign-out, or a new sign-in in the same browser).
func (s *Store) Delete(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	_, err := s.client.Session.Delete().Where(session.TokenHash(hash(token))).Exec(rule.AsSitekeeper(ctx))
	if err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// DeleteID ends the session with the row id.
func (s *Store) DeleteID(ctx context.Context, id int) error {
	err := s.client.Session.DeleteOneID(id).Exec(rule.AsSitekeeper(ctx))
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// Cleanup deletes the sessions past their lifetime or idle timeout and the sign-ins in progress
// past their expiry, and reports how many of each it removed.
func (s *Store) Cleanup(ctx context.Context) (sessions, loginStates int, err error) {
	now := s.Now()
	sys := rule.AsSitekeeper(ctx)
	sessions, err = s.client.Session.Delete().
		Where(session.Or(session.ExpiresAtLTE(now), session.LastSeenAtLTE(now.Add(-IdleTimeout)))).
		Exec(sys)
	if err != nil {
		return 0, 0, fmt.Errorf("session: cleanup sessions: %w", err)
	}
	loginStates, err = s.client.LoginState.Delete().Where(loginstate.ExpiresAtLTE(now)).Exec(sys)
	if err != nil {
		return sessions, 0, fmt.Errorf("session: cleanup login states: %w", err)
	}
	return sessions, loginStates, nil
}

// RunCleanup runs Cleanup now and then every interval (CleanupEvery when 0) until ctx ends.
func (s *Store) RunCleanup(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = CleanupEvery
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, m, err := s.Cleanup(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.WarnContext(ctx, "session: cleanup failed", "err", err)
		case n+m > 0:
			s.log.InfoContext(ctx, "session: cleanup", "sessions", n, "login_states", m)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CookieName is the name of the session cookie: SecureCookieName over https, else CookieName.
func (s *Store) CookieName() string {
	if s.secure {
		return SecureCookieName
	}
	return CookieName
}

// Secure reports whether cookies are Secure (the public URL is https).
func (s *Store) Secure() bool { return s.secure }

// Cookie is the session cookie carrying token until the session's absolute end.
func (s *Store) Cookie(token string, sess *Session) *http.Cookie {
	return &http.Cookie{
		Name:     s.CookieName(),
		Value:    token,
		Path:     "/",
		Expires:  sess.ExpiresAt,
		MaxAge:   int(sess.ExpiresAt.Sub(s.Now()).Seconds()),
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// ClearCookie makes the browser drop the session cookie.
func (s *Store) ClearCookie() *http.Cookie {
	return &http.Cookie{
		Name:     s.CookieName(),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// Token returns the session id the request carries in the session cookie, if any.
func (s *Store) Token(r *http.Request) (string, bool) {
	c, err := r.Cookie(s.CookieName())
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}
