package timetracker

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is an error status from TimeTracker with its body's fields.
type APIError struct {
	Status        int
	Code          string // error_code
	Message       string
	RequiredScope string
	// AvailableScopes is what the token has, told by a 403.
	AvailableScopes []string
	Fields          map[string][]string
	RetryAfter      time.Duration
}

// overlapText is how TimeTracker says an entry overlaps another (400, with
// error_code "error": the message is the only way to tell).
const overlapText = "overlaps with an existing entry"

func (e *APIError) Error() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "TimeTracker refused the API token: " + e.Message + " (create a new token in TimeTracker and run remote setup again)"
	case e.Status == http.StatusForbidden && e.RequiredScope != "":
		return fmt.Sprintf("the API token lacks the scope %s: give the token that scope in TimeTracker (Admin → API tokens)", e.RequiredScope)
	case e.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("TimeTracker's rate limit was reached; retry after %v", e.RetryAfter)
	case len(e.Fields) > 0:
		var parts []string
		for f, msgs := range e.Fields {
			parts = append(parts, f+": "+strings.Join(msgs, " "))
		}
		return "TimeTracker rejected the entry: " + strings.Join(parts, "; ")
	case e.Status >= 500:
		return fmt.Sprintf("TimeTracker had an internal error (%d): %s", e.Status, e.Message)
	}
	return fmt.Sprintf("TimeTracker answered %d: %s", e.Status, e.Message)
}

// IsOverlap reports a rejected overlapping entry.
func IsOverlap(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && strings.Contains(e.Message, overlapText)
}

// IsAuth reports a bad token or a missing scope: pushing must stop.
func IsAuth(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)
}

// IsRateLimited reports a 429 and how long to wait.
func IsRateLimited(err error) (time.Duration, bool) {
	var e *APIError
	if errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
		return e.RetryAfter, true
	}
	return 0, false
}

// IsTransient reports errors worth retrying with backoff: no answer, or 5xx.
func IsTransient(err error) bool {
	var u *UnreachableError
	var e *APIError
	return errors.As(err, &u) || (errors.As(err, &e) && e.Status >= 500)
}

func apiError(resp *http.Response, raw []byte) error {
	var body struct {
		Error         string              `json:"error"`
		Message       string              `json:"message"`
		Code          any                 `json:"error_code"`
		RequiredScope string              `json:"required_scope"`
		Available     []string            `json:"available_scopes"`
		Errors        map[string][]string `json:"errors"`
	}
	_ = json.Unmarshal(raw, &body)
	e := &APIError{Status: resp.StatusCode, Message: body.Message, RequiredScope: body.RequiredScope, AvailableScopes: body.Available,
		Fields: body.Errors}
	if e.Message == "" {
		e.Message = body.Error
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	e.Code = fmt.Sprint(body.Code)
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			e.RetryAfter = time.Duration(n) * time.Second
		}
	}
	if e.Status == http.StatusTooManyRequests && e.RetryAfter <= 0 {
		e.RetryAfter = 60 * time.Second
	}
	return e
}
