package push

// Setting up the remote: the check against the server, the token, the
// default project, and the errors a setup can end with.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/i18n"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// SetupResult is what a successful setup found.
type SetupResult struct {
	Info     timetracker.Info
	Projects []timetracker.Project
	Where    string // where the token went
	Warning  string // set when it went to a file
}

// Edit changes the fields of the remote settings that one form or
// command owns; it is applied to the settings as stored, so fields it
// leaves alone (rate limits set from the CLI) keep their value.
type Edit func(*config.Remote) error

// Setup applies edit to the stored settings, tests the server and the
// token, picks the default project (by id or name; "" keeps the saved
// one), stores the token and saves. On a failed test the settings are
// saved inactive with the reason, and the error is returned.
func (s *Service) Setup(ctx context.Context, edit Edit, token, project string) (SetupResult, error) {
	var res SetupResult
	cur, err := s.settings.Load(ctx)
	if err != nil {
		return res, err
	}
	cfg := cur.TimeTracker
	if err := applyEdit(edit, &cfg); err != nil {
		return res, err
	}
	if token == "" {
		if token, err = s.secrets.Load(cfg.ServerURL); errors.Is(err, secret.ErrNotFound) {
			return res, ErrNoToken
		} else if err != nil {
			return res, err // e.g. a token file others can read: it says what to do
		}
	}
	if !strings.HasPrefix(token, "tt_") {
		return res, errors.New(i18n.T("core.push.not_a_token"))
	}
	var choiceErr error // a project asked for that the server does not have
	testErr := func() error {
		c, err := s.connect(ctx, cfg, token)
		if err != nil {
			return err
		}
		if res.Info, err = c.Info(ctx); err != nil {
			return err
		}
		cfg.ServerTimezone, cfg.ServerVersion = res.Info.Timezone, res.Info.AppVersion
		if err := c.CheckToken(ctx); err != nil {
			return err
		}
		if res.Projects, err = c.Projects(ctx); err != nil {
			return err
		}
		err = pickProject(&cfg, res.Projects, project)
		if err != nil && strings.TrimSpace(project) != "" {
			choiceErr = err
			return nil
		}
		return err // the saved default project is gone from the server: a failed check
	}()
	if choiceErr != nil {
		// Bad input, not a failed check: nothing is saved, the token is
		// not stored, and the server's projects are in res to choose from.
		return res, &ProjectChoiceError{Err: choiceErr}
	}
	if testErr == nil {
		if res.Where, res.Warning, err = s.secrets.Save(cfg.ServerURL, token); err != nil {
			return res, err
		}
		cfg.TokenStore = res.Where
	}
	// What the check learnt goes over the settings as they are now.
	tested := cfg
	_, err = s.settings.Update(ctx, func(st *settings.Settings) error {
		if err := applyEdit(edit, &st.TimeTracker); err != nil {
			return err
		}
		t := &st.TimeTracker
		switch {
		case testErr == nil:
			t.ServerTimezone, t.ServerVersion, t.TokenStore = tested.ServerTimezone, tested.ServerVersion, tested.TokenStore
			t.DefaultProjectID, t.DefaultProjectName = tested.DefaultProjectID, tested.DefaultProjectName
		case t.ServerURL != cur.TimeTracker.ServerURL:
			// Another server that did not answer as one: what was known
			// of the old one (version, zone, where its token is) is not
			// this one's.
			t.ServerTimezone, t.ServerVersion, t.TokenStore = "", "", ""
		}
		st.Checked(settings.TimeTracker, testErr)
		return nil
	})
	if err != nil {
		return res, err
	}
	s.log.Info().Bool("active", testErr == nil).Str("mode", string(cfg.PushMode)).Msg("TimeTracker settings saved")
	if testErr != nil {
		return res, &CheckError{Err: testErr}
	}
	// Blocks refused before (no project chosen, a task missing) are tried
	// again with what was set up now, without a push --retry-failed.
	if _, err := s.RetryFailed(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// applyEdit applies edit and checks the result.
func applyEdit(edit Edit, cfg *config.Remote) error {
	if err := edit(cfg); err != nil {
		return err
	}
	u, err := timetracker.ParseServerURL(cfg.ServerURL)
	if err != nil {
		return err
	}
	cfg.ServerURL = u
	return cfg.Validate()
}

func pickProject(cfg *config.Remote, ps []timetracker.Project, want string) error {
	want = strings.TrimSpace(want)
	if want == "" {
		if cfg.DefaultProjectID == 0 {
			return nil // blocks without a mapped project will wait for one
		}
		want = strconv.FormatInt(cfg.DefaultProjectID, 10)
	}
	for _, p := range ps {
		if strconv.FormatInt(p.ID, 10) == want || strings.EqualFold(p.Name, want) {
			cfg.DefaultProjectID, cfg.DefaultProjectName = p.ID, p.Name
			return nil
		}
	}
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, fmt.Sprintf("%d %s", p.ID, p.Name))
		if len(names) == 10 {
			names = append(names, "…")
			break
		}
	}
	return errors.New(i18n.T("core.push.no_remote_project_known", "name", fmt.Sprintf("%q", want), "projects", strings.Join(names, ", ")))
}

// ErrNoRemote means no TimeTracker is set up.
var ErrNoRemote = errors.New("no TimeTracker is set up")

// token is the saved token. A setup whose check failed kept none: then
// that failure is the reason, not a missing token.
func (s *Service) token(st State) (string, error) {
	t, err := s.secrets.Load(st.Config.ServerURL)
	if errors.Is(err, secret.ErrNotFound) && !st.IsActive && st.LastError != "" {
		return "", &SetupFailedError{Reason: st.LastError}
	}
	return t, err
}

// SetupFailedError means the last TimeTracker setup did not pass its
// check, so nothing can be pushed until one does.
type SetupFailedError struct{ Reason string }

func (e *SetupFailedError) Error() string {
	return i18n.T("core.push.setup_failed", "reason", e.Reason)
}

// CheckError is a setup whose settings were saved (inactive) but whose
// check against the server failed.
type CheckError struct{ Err error }

func (e *CheckError) Error() string { return e.Err.Error() }
func (e *CheckError) Unwrap() error { return e.Err }

// ErrNoToken means setup was given no token and none is stored.
var ErrNoToken = errors.New("no TimeTracker API token was given and none is stored")

// ProjectChoiceError is a default project asked for (by name or id) that
// the TimeTracker server does not have; it names those it has. Setup
// saved nothing.
type ProjectChoiceError struct{ Err error }

func (e *ProjectChoiceError) Error() string { return e.Err.Error() }
func (e *ProjectChoiceError) Unwrap() error { return e.Err }
