package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"sitekeeper/ent"
)

// DefaultSMTPTimeout bounds one delivery: connecting, TLS, authentication and the transfer.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPConfig is a parsed SITEKEEPER_SMTP_URL. Its String and LogValue never show the password.
type SMTPConfig struct {
	Host string
	Port int
	// ImplicitTLS is smtps:// (TLS from the first byte, port 465 by default). Otherwise the
	// connection is upgraded with STARTTLS whenever the server offers it.
	ImplicitTLS bool
	Username    string
	Password    string
	// From is the sender address, as given in ?from= (it may carry a display name).
	From    string
	Timeout time.Duration
}

// ParseSMTPURL reads smtp://[user:pass@]host[:port]?from=address[&timeout=30s] or the same with
// smtps://. Default ports: 587 for smtp (mail submission with STARTTLS), 465 for smtps. Errors
// name the part that is wrong and never repeat the URL, which may hold a password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	const name = "SITEKEEPER_SMTP_URL"
	var cfg SMTPConfig
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" {
		// url.Error would echo the URL, password included.
		return cfg, fmt.Errorf("%s is not a valid URL; expected smtp://user:password@host:port?from=address", name)
	}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = 465, true
	default:
		return cfg, fmt.Errorf("%s: the scheme must be smtp or smtps", name)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return cfg, fmt.Errorf("%s: the mail server's host name is missing", name)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return cfg, fmt.Errorf("%s: the port must be a number from 1 to 65535", name)
		}
		cfg.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return cfg, fmt.Errorf("%s: unexpected path; put the sender in ?from=", name)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return cfg, fmt.Errorf("%s: the user name is empty", name)
		}
		if cfg.Password == "" {
			return cfg, fmt.Errorf("%s: a user name is given without a password", name)
		}
	}
	q := u.Query()
	for k := range q {
		if k != "from" && k != "timeout" {
			return cfg, fmt.Errorf("%s: unknown parameter %q (known: from, timeout)", name, k)
		}
	}
	cfg.From = q.Get("from")
	if cfg.From == "" {
		return cfg, fmt.Errorf("%s: the sender address is missing; add ?from=sitekeeper@your-domain", name)
	}
	if _, err := mail.ParseAddress(cfg.From); err != nil {
		return cfg, fmt.Errorf("%s: the from parameter is not an email address", name)
	}
	cfg.Timeout = DefaultSMTPTimeout
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 || d > 10*time.Minute {
			return cfg, fmt.Errorf("%s: timeout must be a duration such as 30s, at most 10m", name)
		}
		cfg.Timeout = d
	}
	return cfg, nil
}

// String describes the configuration without the password.
func (c SMTPConfig) String() string {
	scheme, user := "smtp", ""
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	if c.Username != "" {
		user = url.User(c.Username).String() + ":***@"
	}
	return fmt.Sprintf("%s://%s%s?from=%s", scheme, user, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), url.QueryEscape(c.From))
}

// LogValue keeps the password out of structured logs.
func (c SMTPConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// isLoopback reports a mail server on this machine (a relay or a test server).
func (c SMTPConfig) isLoopback() bool {
	if strings.EqualFold(c.Host, "localhost") {
		return true
	}
	ip := net.ParseIP(c.Host)
	return ip != nil && ip.IsLoopback()
}

// SMTPSender delivers notifications through one mail server with github.com/wneessen/go-mail.
//
// TLS: smtps:// speaks TLS from the start. smtp:// upgrades with STARTTLS whenever the server
// offers it (go-mail's TLSOpportunistic) and otherwise stays in plain text; credentials are
// then only sent to a loopback server (go-mail refuses PLAIN/LOGIN on an unencrypted remote
// connection), so a password never crosses the network in the clear.
type SMTPSender struct {
	Config SMTPConfig
	// TLSConfig overrides the TLS settings (for example a private CA); nil verifies the server
	// against the system roots under its host name.
	TLSConfig *tls.Config
}

// NewSMTPSender parses rawURL into a sender.
func NewSMTPSender(rawURL string) (*SMTPSender, error) {
	cfg, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &SMTPSender{Config: cfg}, nil
}

// Send delivers one notification.
func (s *SMTPSender) Send(ctx context.Context, n *ent.Notification) error {
	msg, err := s.message(n)
	if err != nil {
		return err
	}
	client, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.Config.Timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		if s.Config.Password != "" && strings.Contains(err.Error(), s.Config.Password) {
			return errors.New(strings.ReplaceAll(err.Error(), s.Config.Password, "***"))
		}
		return err
	}
	return nil
}

func (s *SMTPSender) message(n *ent.Notification) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	from, err := mail.ParseAddress(s.Config.From)
	if err != nil {
		return nil, errors.New("the sender address is not valid")
	}
	if from.Name == "" {
		from.Name = "Sitekeeper"
	}
	if err := msg.FromFormat(from.Name, from.Address); err != nil {
		return nil, fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(n.Recipient); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	msg.Subject(n.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, n.Body)
	msg.SetDate()
	// One Message-ID per notification: a retried delivery carries the same id, so mail
	// systems can tell a repeat from a new message.
	msg.SetMessageIDWithValue(fmt.Sprintf("notification-%d.%d@sitekeeper", n.ID, n.CreatedAt.Unix()))
	// RFC 3834: automatic mail; out-of-office responders stay quiet.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Sitekeeper-Notification", string(n.Kind))
	return msg, nil
}

func (s *SMTPSender) client() (*gomail.Client, error) {
	c := s.Config
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout)}
	if c.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.TLSConfig != nil {
		tc := s.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = c.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if c.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover // the strongest the server offers; PLAIN/LOGIN only over TLS
		if c.isLoopback() {
			auth = gomail.SMTPAuthPlain // go-mail allows PLAIN without TLS to a loopback server only
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, errors.New("smtp client: " + err.Error())
	}
	return client, nil
}
