package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/notify"
)

func TestParseSMTPURL(t *testing.T) {
	const secret = "pa55-w0rd/x"
	for _, c := range []struct {
		raw     string
		want    notify.SMTPConfig
		wantErr string
	}{
		{raw: "smtp://mail.example.com?from=sitekeeper@example.com",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 587, From: "sitekeeper@example.com", Timeout: notify.DefaultSMTPTimeout}},
		{raw: "smtp://user:" + "pa55-w0rd%2Fx" + "@127.0.0.1:2525?from=sitekeeper@example.com&timeout=5s",
			want: notify.SMTPConfig{Host: "127.0.0.1", Port: 2525, Username: "user", Password: secret, From: "sitekeeper@example.com", Timeout: 5 * time.Second}},
		{raw: "SMTPS://u%40corp:p@[::1]?from=Sitekeeper%20%3Cs@example.com%3E",
			want: notify.SMTPConfig{Host: "::1", Port: 465, ImplicitTLS: true, Username: "u@corp", Password: "p", From: "Sitekeeper <s@example.com>", Timeout: notify.DefaultSMTPTimeout}},
		{raw: "smtp://mail.example.com/?from=s@example.com",
			want: notify.SMTPConfig{Host: "mail.example.com", Port: 587, From: "s@example.com", Timeout: notify.DefaultSMTPTimeout}},
		{raw: "http://mail.example.com?from=s@example.com", wantErr: "scheme must be smtp or smtps"},
		{raw: "mail.example.com:25", wantErr: "not a valid URL"},
		{raw: "//mail.example.com:25?from=s@example.com", wantErr: "scheme must be smtp or smtps"},
		{raw: "smtp://?from=s@example.com", wantErr: "host name is missing"},
		{raw: "smtp://mail.example.com:0?from=s@example.com", wantErr: "port must be a number"},
		{raw: "smtp://mail.example.com:70000?from=s@example.com", wantErr: "port must be a number"},
		{raw: "smtp://mail.example.com", wantErr: "sender address is missing"},
		{raw: "smtp://mail.example.com?from=not-an-address", wantErr: "from parameter is not an email address"},
		{raw: "smtp://user@mail.example.com?from=s@example.com", wantErr: "without a password"},
		{raw: "smtp://:pa55-w0rd@mail.example.com?from=s@example.com", wantErr: "user name is empty"},
		{raw: "smtp://mail.example.com?from=s@example.com&tls=off", wantErr: `unknown parameter "tls"`},
		{raw: "smtp://mail.example.com/relay?from=s@example.com", wantErr: "unexpected path"},
		{raw: "smtp://mail.example.com?from=s@example.com&timeout=forever", wantErr: "timeout must be a duration"},
		{raw: "smtp://user:" + secret + "@mail.example.com:port?from=s@example.com", wantErr: "not a valid URL"},
		{raw: "smtp://user:" + secret + "@mail example.com?from=s@example.com", wantErr: "not a valid URL"},
	} {
		got, err := notify.ParseSMTPURL(c.raw)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want %q", c.raw, err, c.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "pa55")) {
				t.Errorf("%s: the error shows the password: %v", c.raw, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s:\n got %+v, %v\nwant %+v", c.raw, got, err, c.want)
		}
	}
}

func TestSMTPConfigNeverShowsThePassword(t *testing.T) {
	cfg, err := notify.ParseSMTPURL("smtps://mailer:very-secret@mail.example.com?from=s@example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{cfg.String(), fmt.Sprint(cfg), cfg.LogValue().String()} {
		if strings.Contains(s, "very-secret") || !strings.Contains(s, "smtps://mailer:***@mail.example.com:465") {
			t.Errorf("rendered as %q", s)
		}
	}
}
