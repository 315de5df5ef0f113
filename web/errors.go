package web

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"

	"github.com/sceval/sceval/platform"
)

// ErrorResponse is the body of every error response.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
	// Current is the object as it is now, sent with a 409 stale_version so
	// the client can merge without another request.
	Current any `json:"current,omitempty" doc:"The current state of the object, for conflicts"`
}

// ErrorBody says what went wrong in words a client can branch on (Code) and
// show (Message), and which input field caused it (Field).
type ErrorBody struct {
	Code    string      `json:"code" doc:"Machine-readable code, e.g. not_found, stale_version, bad_state_transition, invalid"`
	Message string      `json:"message" doc:"Human-readable explanation"`
	Field   string      `json:"field,omitempty" doc:"The request field at fault, e.g. level or body.name"`
	Details []ErrorItem `json:"details,omitempty" doc:"Every validation problem, when there are several"`
}

// ErrorItem is one validation problem.
type ErrorItem struct {
	// Line is the line (or spreadsheet row) of an uploaded file.
	Line    int    `json:"line,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

var errorResponseType = reflect.TypeFor[ErrorResponse]()

// apiError is an error response ready to be written; it satisfies
// huma.StatusError so handlers can return it.
type apiError struct {
	status int
	body   ErrorResponse
	// retryAfter, when set, is sent as Retry-After (429).
	retryAfter time.Duration
}

// Error returns the message.
func (e *apiError) Error() string { return e.body.Error.Message }

// GetStatus returns the HTTP status (huma.StatusError).
func (e *apiError) GetStatus() int { return e.status }

// statusOfKind maps the platform's error kinds to HTTP statuses.
var statusOfKind = map[platform.ErrorKind]int{
	"not_found":       http.StatusNotFound,
	"conflict":        http.StatusConflict,
	"invalid":         http.StatusUnprocessableEntity,
	"forbidden":       http.StatusForbidden,
	"unauthenticated": http.StatusUnauthorized,
	"too_large":       http.StatusRequestEntityTooLarge,
	"unsupported":     http.StatusUnsupportedMediaType,
}

// codeOfStatus names the errors that huma itself raises.
func codeOfStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusNotAcceptable:
		return "not_acceptable"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported"
	case http.StatusUnprocessableEntity:
		return "invalid"
	}
	if status >= 500 {
		return "internal"
	}
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

// fail turns an error from the service into the response the client sees.
// A *platform.Error keeps its code, message and field; anything else is a
// fault of ours: it is logged with the request's context and the client gets
// a generic 500 that reveals nothing of the internals.
func (s *Server) fail(ctx context.Context, err error) error {
	var throttled *platform.LoginThrottled
	if errors.As(err, &throttled) {
		return &apiError{status: http.StatusTooManyRequests, retryAfter: throttled.RetryAfter,
			body: ErrorResponse{Error: ErrorBody{Code: "too_many_attempts", Message: throttled.Error()}}}
	}
	var pe *platform.Error
	if errors.As(err, &pe) {
		status, ok := statusOfKind[pe.Kind]
		if !ok {
			status = http.StatusInternalServerError
		}
		code := pe.Code
		if code == "" {
			code = string(pe.Kind)
		}
		body := ErrorBody{Code: code, Message: pe.Message, Field: pe.Field}
		for _, d := range pe.Details {
			body.Details = append(body.Details, ErrorItem{Line: d.Line, Field: d.Field, Message: d.Message})
		}
		return &apiError{status: status, body: ErrorResponse{Error: body, Current: pe.Current}}
	}
	if errors.Is(err, context.Canceled) {
		return &apiError{status: 499, body: ErrorResponse{Error: ErrorBody{Code: "canceled", Message: "request canceled"}}}
	}
	s.logger.ErrorContext(ctx, "request failed", "err", err)
	return internalError()
}

// retryAfterSeconds renders a wait as Retry-After's whole seconds, rounded
// up (RFC 9110 §10.2.3).
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

func internalError() *apiError {
	return &apiError{status: http.StatusInternalServerError, body: ErrorResponse{
		Error: ErrorBody{Code: "internal", Message: "internal server error"},
	}}
}

// newError builds an error response for a mistake the handler itself
// detects (a bad header or form part, before the service is called).
func newError(status int, code, field, message string) *apiError {
	return &apiError{status: status, body: ErrorResponse{Error: ErrorBody{Code: code, Message: message, Field: field}}}
}

// transformError is a huma transformer: it rewrites the errors huma raises
// on its own (malformed JSON, schema validation, body too large, unknown
// content type) from huma's problem+json model into ErrorResponse, and
// makes every error response plain application/json.
func (s *Server) transformError(ctx huma.Context, status string, v any) (any, error) {
	switch e := v.(type) {
	case *apiError:
		ctx.SetHeader("Content-Type", "application/json")
		if e.retryAfter > 0 {
			ctx.SetHeader("Retry-After", retryAfterSeconds(e.retryAfter))
		}
		return e.body, nil
	case *huma.ErrorModel:
		ctx.SetHeader("Content-Type", "application/json")
		return s.fromHumaError(ctx, e).body, nil
	}
	return v, nil
}

func (s *Server) fromHumaError(ctx huma.Context, e *huma.ErrorModel) *apiError {
	if e.Status >= 500 {
		s.logger.ErrorContext(ctx.Context(), "request failed", "err", e.Error(), "details", e.Errors)
		return internalError()
	}
	body := ErrorBody{Code: codeOfStatus(e.Status), Message: e.Detail}
	for _, d := range e.Errors {
		if d == nil {
			continue
		}
		body.Details = append(body.Details, ErrorItem{Field: fieldOfDetail(d), Message: d.Message})
	}
	if len(body.Details) > 0 {
		// The first problem is the headline: "validation failed" says less
		// than "expected number <= 100".
		first := body.Details[0]
		body.Message = first.Message
		if first.Field != "" {
			body.Message = first.Field + ": " + first.Message
		}
		body.Field = first.Field
		if len(body.Details) == 1 {
			body.Details = nil
		}
	}
	if body.Message == "" {
		body.Message = http.StatusText(e.Status)
	}
	if lower := strings.ToLower(body.Message); e.Status == http.StatusBadRequest &&
		(strings.Contains(lower, "json") || strings.HasPrefix(lower, "invalid character")) {
		body.Message = "malformed JSON body: " + body.Message
	}
	return &apiError{status: e.Status, body: ErrorResponse{Error: body}}
}

// requiredBefore and requiredAfter surround the property name in huma's
// message for a missing required property, which huma reports at the
// location of the object that lacks it.
var requiredBefore, requiredAfter, _ = strings.Cut(validation.MsgExpectedRequiredProperty, "%s")

// fieldOfDetail names the field a huma error detail is about: its location,
// or for a missing required property the property itself ("pilot_id",
// "star_thresholds[0].stars"), so that a client can point at it.
func fieldOfDetail(d *huma.ErrorDetail) string {
	field := fieldOf(d.Location)
	name, ok := strings.CutPrefix(d.Message, requiredBefore)
	if name, ok2 := strings.CutSuffix(name, requiredAfter); ok && ok2 && name != "" && !strings.ContainsAny(name, " ") {
		if field == "" {
			return name
		}
		return field + "." + name
	}
	return field
}

// fieldOf turns huma's location ("body.level", "query.limit",
// "path.id") into the field name a client sent.
func fieldOf(location string) string {
	for _, prefix := range []string{"body.", "query.", "path.", "header."} {
		if rest, ok := strings.CutPrefix(location, prefix); ok {
			return rest
		}
	}
	if location == "body" {
		return ""
	}
	return location
}

// documentErrors points every error response of op at the ErrorResponse
// schema (huma documents its own problem+json model otherwise) and adds the
// statuses every operation can return.
func documentErrors(op *huma.Operation, schema *huma.Schema) {
	for _, code := range []int{http.StatusUnprocessableEntity, http.StatusInternalServerError} {
		key := strconv.Itoa(code)
		if _, ok := op.Responses[key]; !ok {
			op.Responses[key] = &huma.Response{Description: http.StatusText(code)}
		}
	}
	delete(op.Responses, "default")
	for key, resp := range op.Responses {
		code, err := strconv.Atoi(key)
		if err != nil || code < 400 {
			continue
		}
		resp.Content = map[string]*huma.MediaType{"application/json": {Schema: schema}}
	}
}
