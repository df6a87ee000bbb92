package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// InProcessClient returns an http.Client whose requests to URLs under base (same scheme and
// host, path base's path or below) are served by h directly, without the network, and whose
// other requests go to next (http.DefaultTransport when nil).
//
// Dev mode needs it: the server is its own OpenID Provider, and go-oidc discovers the provider
// and fetches its keys before the server listens. Serving those requests in-process also keeps
// the code exchange and key fetches off the loopback interface while the server runs.
func InProcessClient(base string, h http.Handler, next http.RoundTripper) (*http.Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("in-process client: bad base URL %q", base)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &http.Client{Transport: &inProcessTransport{base: u, h: h, next: next}, Timeout: 30 * time.Second}, nil
}

type inProcessTransport struct {
	base *url.URL
	h    http.Handler
	next http.RoundTripper
}

func (t *inProcessTransport) under(u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, t.base.Scheme) || !strings.EqualFold(u.Host, t.base.Host) {
		return false
	}
	return t.base.Path == "" || u.Path == t.base.Path || strings.HasPrefix(u.Path, t.base.Path+"/")
}

func (t *inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.under(req.URL) {
		return t.next.RoundTrip(req)
	}
	// A RoundTripper must not modify the request: the handler gets a server-side copy.
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.URL.Host
	in.RemoteAddr = "127.0.0.1:0"
	in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	if in.Body == nil {
		in.Body = http.NoBody
	}
	w := &bufferedResponse{header: http.Header{}}
	func() {
		defer func() {
			if req.Body != nil {
				_ = req.Body.Close()
			}
		}()
		t.h.ServeHTTP(w, in)
	}()
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

// bufferedResponse is an http.ResponseWriter that keeps the response in memory.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedResponse) Header() http.Header { return w.header }

func (w *bufferedResponse) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferedResponse) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}
