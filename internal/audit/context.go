// Package audit writes an AuditEvent for every change, in the transaction of the change, from an
// ent hook: nothing can change data without leaving a record, and a rolled-back change leaves none.
package audit

import "context"

// Request describes the HTTP request behind a change.
type Request struct {
	ID            string
	ClientAddress string
}

type requestKey struct{}
type actionKey struct{}
type reasonKey struct{}
type reviewKey struct{}

// WithRequest records the request id and client address for the events written under ctx.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request recorded by WithRequest.
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// WithAction names the operation (such as "transferPrimary") the events under ctx belong to.
func WithAction(ctx context.Context, action string) context.Context {
	return context.WithValue(ctx, actionKey{}, action)
}

// WithReason records why an operator did something (break-glass reassignment).
func WithReason(ctx context.Context, reason string) context.Context {
	return context.WithValue(ctx, reasonKey{}, reason)
}

// WithReview records that the changes under ctx apply the decisions of an access review.
func WithReview(ctx context.Context, reviewID int) context.Context {
	return context.WithValue(ctx, reviewKey{}, reviewID)
}
