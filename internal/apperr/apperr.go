// Package apperr defines the error codes clients see (SPEC section 4). Code below the resolvers
// returns these; graph's error presenter is the single place that turns any error into a code.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a pinned value of extensions.code.
type Code string

const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	Internal        Code = "INTERNAL"
)

// Error is an error meant for the client: its message is safe to show.
type Error struct {
	Code    Code
	Message string
	// Fields names offending input fields (BAD_USER_INPUT).
	Fields []string
	// IDs names the records a bulk operation refused.
	IDs []int
}

func (e *Error) Error() string { return e.Message }

// New returns a client error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidInput names the offending input fields.
func InvalidInput(message string, fields ...string) *Error {
	return &Error{Code: BadUserInput, Message: message, Fields: fields}
}

// ErrUnauthenticated is returned when a field needs credentials and none (or bad ones) came.
var ErrUnauthenticated = &Error{Code: Unauthenticated, Message: "sign in first"}

// ErrNotFound answers for records that do not exist or that the caller may not see.
var ErrNotFound = &Error{Code: NotFound, Message: "not found"}

// As returns the *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf returns err's code, or "" when it is not a client error.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return ""
}

// PrefixedError says that the input fields named by Err sit under Prefix (such as
// "primaryContact."), so validation errors name the field as the client sent it.
type PrefixedError struct {
	Prefix string
	Err    error
}

func (e *PrefixedError) Error() string { return e.Err.Error() }
func (e *PrefixedError) Unwrap() error { return e.Err }

// WithFieldPrefix marks err's fields as nested under prefix.
func WithFieldPrefix(err error, prefix string) error {
	if err == nil {
		return nil
	}
	return &PrefixedError{Prefix: prefix, Err: err}
}
