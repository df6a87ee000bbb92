package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestShutdownUnderLoad cancels the server's context (what SIGTERM does in server.go) while 16
// clients keep requests in flight, each taking up to 200 ms. Every request the handler took
// finishes and reaches its client as a complete 200; the others are refused a connection, never
// cut off; Serve returns nil well within ShutdownTimeout. (internal/crashtest sends a real
// SIGTERM to the binary under load.)
func TestShutdownUnderLoad(t *testing.T) {
	var entered, finished atomic.Int64
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Add(1)
		defer finished.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(time.Duration(entered.Load()%20) * 10 * time.Millisecond)
		_, _ = io.WriteString(w, `{"data":{"ok":true}}`)
	})
	f := newFixture(t, slow, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln) }()

	var (
		ok, refused atomic.Int64
		cancelled   atomic.Bool
		mu          sync.Mutex
		problems    []string
	)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 200 { // bounded
				resp, err := client.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{ok}"}`))
				if err != nil {
					if !cancelled.Load() {
						mu.Lock()
						problems = append(problems, "before shutdown: "+err.Error())
						mu.Unlock()
					}
					refused.Add(1)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || string(body) != `{"data":{"ok":true}}` {
					mu.Lock()
					problems = append(problems, "a cut or failed answer: "+resp.Status+" "+string(body))
					mu.Unlock()
					return
				}
				ok.Add(1)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	cancelled.Store(true)
	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(ShutdownTimeout):
		t.Fatal("Serve did not return within the shutdown timeout")
	}
	took := time.Since(start)
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	if entered.Load() != finished.Load() || finished.Load() != ok.Load() {
		t.Fatalf("handler took %d requests and finished %d; clients got %d complete 200s", entered.Load(), finished.Load(), ok.Load())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		_ = c.Close()
		t.Fatal("the listener still accepts connections")
	}
	t.Logf("shutdown under load: %d requests answered, %d clients then refused; Serve returned %s after the signal", ok.Load(), refused.Load(), took.Round(time.Millisecond))
}
