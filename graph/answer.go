package graph

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// wholeAnswer writes a root field's answer in one piece. gqlgen marshals a query's data into a
// bytes.Buffer of its own that starts at 64 bytes: doubling it up to a 330 KB page of the full
// sync allocated three times the page, and growing it once still allocated the page again.
// Under an answerLoan (the POST transport's), the root answers are written into a pooled
// buffer that gqlgen's buffer then takes over; otherwise into a reused buffer, copied once.
type wholeAnswer struct {
	graphql.Marshaler
	loan *answerLoan // nil: none
}

func (a wholeAnswer) MarshalGQL(w io.Writer) {
	if buf, ok := w.(*bytes.Buffer); ok && a.loan != nil {
		a.loan.marshalInto(buf, a.Marshaler)
		return
	}
	out := appendWriter{b: takeLarge(0)}
	a.Marshaler.MarshalGQL(&out)
	_, _ = w.Write(out.b)
	putLarge(out.b)
}

// largeBuffers keep a few buffers as large as a page (a root answer, a page of Sites) from
// one request to the next. Not a sync.Pool: one buffer put on one processor is not found from
// another, and a collection empties it, so a page grew a new buffer most of the time.
var largeBuffers = make(chan []byte, 8)

// takeLarge returns an empty buffer for at least size bytes, a kept one when it is as large.
func takeLarge(size int) []byte {
	select {
	case b := <-largeBuffers:
		if cap(b) >= size {
			return b
		}
	default:
	}
	return make([]byte, 0, max(size+size/4, largeValue))
}

// putLarge keeps b for another request, unless it is past maxScratch or enough are kept.
func putLarge(b []byte) {
	if cap(b) > maxScratch {
		return
	}
	select {
	case largeBuffers <- b[:0]:
	default:
	}
}

type answerLoanKey struct{}

// answerLoan is a pooled buffer lent to one operation's data: the transport that lends it
// returns it once the response is written, and nothing may read the data after that.
type answerLoan struct {
	mu  sync.Mutex
	buf []byte // the buffer as last grown; nil until a root answer takes it
}

// withAnswerLoan lends the root answers of the operation run under ctx a pooled buffer.
func withAnswerLoan(ctx context.Context) (context.Context, *answerLoan) {
	l := &answerLoan{}
	return context.WithValue(ctx, answerLoanKey{}, l), l
}

func answerLoanFrom(ctx context.Context) *answerLoan {
	l, _ := ctx.Value(answerLoanKey{}).(*answerLoan)
	return l
}

// marshalInto appends m's answer to what buf holds, in the lent buffer, which buf then writes
// in: gqlgen's response data is that buffer.
func (l *answerLoan) marshalInto(buf *bytes.Buffer, m graphql.Marshaler) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := appendWriter{b: l.buf}
	if out.b == nil {
		out.b = takeLarge(0)
	}
	// What buf holds so far: the opening brace and this field's name, or, for a later root
	// field, the earlier answers, in this same buffer already (then it copies onto itself).
	out.b = append(out.b[:0], buf.Bytes()...)
	m.MarshalGQL(&out)
	l.buf = out.b
	*buf = *bytes.NewBuffer(out.b)
}

// giveBack returns the buffer to the pool: the response it held has been written.
func (l *answerLoan) giveBack() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf != nil {
		putLarge(l.buf)
		l.buf = nil
	}
}
