package main

import (
	"slices"
	"testing"
)

func TestTakeFlag(t *testing.T) {
	cases := []struct {
		args []string
		want string
		rest []string
	}{
		{[]string{"-as", "a@example.com"}, "a@example.com", nil},
		{[]string{"--as", "a@example.com", "-public-url", "http://127.0.0.1:9090"}, "a@example.com", []string{"-public-url", "http://127.0.0.1:9090"}},
		{[]string{"-addr", "127.0.0.1:9", "--as=a@example.com"}, "a@example.com", []string{"-addr", "127.0.0.1:9"}},
		{[]string{"-as=a@example.com", "-as", "b@example.com"}, "b@example.com", nil},
		{[]string{"-addr", "x"}, "", []string{"-addr", "x"}},
		{[]string{"-ask", "x"}, "", []string{"-ask", "x"}},
		{[]string{"--", "-as", "x"}, "", []string{"--", "-as", "x"}},
	}
	for _, c := range cases {
		got, rest, err := takeFlag(c.args, "as")
		if err != nil || got != c.want || !slices.Equal(rest, c.rest) {
			t.Errorf("takeFlag(%q) = %q, %q, %v; want %q, %q", c.args, got, rest, err, c.want, c.rest)
		}
	}
	if _, _, err := takeFlag([]string{"-as"}, "as"); err == nil {
		t.Error("-as without a value accepted")
	}
}
