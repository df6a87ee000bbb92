package notify_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one mail as the test SMTP server got it.
type received struct {
	From    string   // envelope MAIL FROM
	To      []string // envelope RCPT TO
	TLS     bool     // the session ran over TLS (STARTTLS)
	User    string   // who authenticated, if anyone
	Header  mail.Header
	Subject string // decoded
	Body    string // decoded
}

// mailServer is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 that records
// the mails it accepts. It stops when the test ends.
type mailServer struct {
	t        testing.TB
	addr     string
	user     string
	password string
	tls      *tls.Config
	srv      *smtp.Server

	mu   sync.Mutex
	mail []received
}

type serverOption func(*mailServer)

// requireAuth makes the server require AUTH PLAIN with these credentials.
func requireAuth(user, password string) serverOption {
	return func(m *mailServer) { m.user, m.password = user, password }
}

// withTLS makes the server offer STARTTLS with cfg (and refuse AUTH without TLS).
func withTLS(cfg *tls.Config) serverOption {
	return func(m *mailServer) { m.tls = cfg }
}

// newMailServer prepares a server on addr ("127.0.0.1:0" for any free port); Start runs it.
func newMailServer(t testing.TB, addr string, opts ...serverOption) *mailServer {
	m := &mailServer{t: t, addr: addr}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Start listens (on the same port as before when restarted) and serves.
func (m *mailServer) Start() *mailServer {
	m.t.Helper()
	l, err := net.Listen("tcp", m.addr)
	if err != nil {
		m.t.Fatalf("smtp server: listen %s: %v", m.addr, err)
	}
	m.addr = l.Addr().String()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{m: m, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.TLSConfig = m.tls
	srv.AllowInsecureAuth = m.tls == nil
	m.srv = srv
	go func() { _ = srv.Serve(l) }()
	m.t.Cleanup(m.Stop)
	return m
}

// Stop closes the listener and every connection; the port is free again.
func (m *mailServer) Stop() {
	if m.srv != nil {
		_ = m.srv.Close()
		m.srv = nil
	}
}

func (m *mailServer) Addr() string { return m.addr }

func (m *mailServer) Received() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.mail...)
}

type session struct {
	m    *mailServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (s *session) AuthMechanisms() []string {
	if s.m.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.m.user || password != s.m.password {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.m.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, err := decodeBody(msg)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.m.mu.Lock()
	s.m.mail = append(s.m.mail, received{
		From: s.from, To: append([]string(nil), s.to...), TLS: isTLS, User: s.user,
		Header: msg.Header, Subject: subject, Body: body,
	})
	s.m.mu.Unlock()
	return nil
}

func decodeBody(msg *mail.Message) (string, error) {
	var r io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "", "7bit", "8bit":
	default:
		return "", errors.New("unexpected transfer encoding " + msg.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(r)
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// freePort returns a loopback address nothing listens on (a server down).
func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}
