package platform

import (
	"errors"
	"fmt"
)

// ErrorKind classifies an Error for callers that branch on it (the HTTP API
// maps kinds to statuses).
type ErrorKind string

// The kinds of Error.
const (
	// NotFound: the object does not exist (HTTP 404).
	NotFound ErrorKind = "not_found"
	// Conflict: the request clashes with the current state: a stale
	// version, a duplicate, a forbidden state transition (HTTP 409).
	Conflict ErrorKind = "conflict"
	// Invalid: the request itself is wrong (HTTP 422 or 400).
	Invalid ErrorKind = "invalid"
	// Forbidden: the identity may not do this (HTTP 403).
	Forbidden ErrorKind = "forbidden"
	// Unauthenticated: nobody is logged in, or the credentials are wrong
	// (HTTP 401).
	Unauthenticated ErrorKind = "unauthenticated"
	// TooLarge: an upload exceeds its size limit (HTTP 413).
	TooLarge ErrorKind = "too_large"
	// Unsupported: an upload's content type is not accepted (HTTP 415).
	Unsupported ErrorKind = "unsupported"
)

// Machine codes carried in Error.Code.
const (
	CodeStaleVersion       = "stale_version"
	CodeBadStateTransition = "bad_state_transition"
	CodeDuplicate          = "duplicate"
	CodeFrameworkFrozen    = "framework_frozen"
	CodeNotEditable        = "not_editable"
	CodeCycleNotOpen       = "cycle_not_open"
	CodeReasonRequired     = "reason_required"
	CodeUnknownIndicator   = "unknown_indicator"
	CodeNotLeaf            = "not_leaf"
	CodeOutOfRange         = "out_of_range"
	CodeRequired           = "required"
	CodeBadValue           = "bad_value"
	CodeTooLarge           = "too_large"
	CodeUnsupportedType    = "unsupported_type"
	CodeNoAccepted         = "no_accepted_submissions"
	CodeSchemaTooNew       = "schema_too_new"
	CodePilotInactive      = "pilot_inactive"
	CodePastDue            = "past_due"
	CodeIncomplete         = "incomplete"
	CodeResultsStale       = "results_stale"
	CodePendingDecisions   = "pending_decisions"
	CodeNotApplicable      = "not_applicable_refused"
	CodeInvalidFramework   = "invalid_framework"
	CodeVersionExists      = "version_exists"
)

// Error is a mistake of the caller or a clash with the current state, with a
// message meant for the user. Internal failures are plain wrapped errors.
type Error struct {
	Kind ErrorKind `json:"kind"`
	// Code is a machine-readable reason such as "stale_version".
	Code string `json:"code"`
	// Message is a human-readable sentence naming the object, field or code.
	Message string `json:"message"`
	// Field names the offending input field, if any.
	Field string `json:"field,omitempty"`
	// Current is, for conflicts, the current state of the object.
	Current any `json:"current,omitempty"`
	// Details lists every problem when there are several (a framework
	// file's errors, each with its line).
	Details []ErrorDetail `json:"details,omitempty"`
}

// ErrorDetail is one of several problems of a request.
type ErrorDetail struct {
	// Line is the 1-based line (or spreadsheet row) of a file, 0 if none.
	Line int `json:"line,omitempty"`
	// Field names the place: a field, or file:line:column.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error of the given kind and code with a formatted message.
func Errorf(kind ErrorKind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorKindOf returns the kind of the first *Error in err's chain, or "".
func ErrorKindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// ErrorCodeOf returns the code of the first *Error in err's chain, or "".
func ErrorCodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// invalidField returns an Invalid error naming field.
func invalidField(field, code, format string, args ...any) *Error {
	e := Errorf(Invalid, code, format, args...)
	e.Field = field
	return e
}

// StaleVersion returns the conflict for a versioned write based on an
// outdated read: got is the version sent, current the stored one, cur the
// current object (returned to the caller in Current).
func StaleVersion(what string, id any, got, current int, cur any) *Error {
	e := Errorf(Conflict, CodeStaleVersion,
		"%s %v was changed by someone else: you sent version %d, the current version is %d", what, id, got, current)
	e.Current = cur
	return e
}

// NotFoundf returns a NotFound error with a formatted message.
func NotFoundf(format string, args ...any) *Error {
	return Errorf(NotFound, "not_found", format, args...)
}
