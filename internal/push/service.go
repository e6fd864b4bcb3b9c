package push

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// Provider is the integrations.provider of the central TimeTracker.
const Provider = "timetracker"

// API is what the service needs from a TimeTracker server.
type API interface {
	Remote
	Info(ctx context.Context) (timetracker.Info, error)
	CheckToken(ctx context.Context) error
	Projects(ctx context.Context) ([]timetracker.Project, error)
}

// ClientFactory connects to a server with a token, paced under the limits.
type ClientFactory func(url, token string, perMinute, perHour int) (API, error)

// Service is the push side of the app: connection settings, the outbox and
// pushing, for the CLI, the tray and the windows.
type Service struct {
	st        *store.Store
	secrets   secret.Store
	newClient ClientFactory
	log       zerolog.Logger
	now       func() time.Time
}

// NewService returns a service.
func NewService(st *store.Store, secrets secret.Store, newClient ClientFactory, log zerolog.Logger) *Service {
	return &Service{st: st, secrets: secrets, newClient: newClient, log: log, now: time.Now}
}

// State is the remote settings and the last push.
type State struct {
	Config     config.Remote
	Configured bool
	store.Integration
	Counts map[string]int
}

// Settings reads only the remote settings and whether they are active:
// what the runner checks on every tick (State also counts the outbox).
func (s *Service) Settings(ctx context.Context) (cfg config.Remote, active bool, err error) {
	in, err := s.st.Integration(ctx, Provider)
	if errors.Is(err, store.ErrNotConfigured) {
		return config.DefaultRemote(), false, nil
	}
	if err != nil {
		return cfg, false, err
	}
	cfg, err = config.DecodeRemote(in.Config)
	return cfg, in.IsActive, err
}

// State reads the settings and outbox counts.
func (s *Service) State(ctx context.Context) (State, error) {
	st := State{Config: config.DefaultRemote()}
	in, err := s.st.Integration(ctx, Provider)
	if err != nil && !errors.Is(err, store.ErrNotConfigured) {
		return st, err
	}
	if err == nil {
		if st.Config, err = config.DecodeRemote(in.Config); err != nil {
			return st, err
		}
		st.Configured, st.Integration = true, in
	}
	st.Counts, err = s.st.OutboxCounts(ctx)
	return st, err
}

// SetupResult is what a successful setup found.
type SetupResult struct {
	Info     timetracker.Info
	Projects []timetracker.Project
	Where    string // where the token went
	Warning  string // set when it went to a file
}

// Setup tests the server and the token, picks the default project (by id
// or name; "" keeps the saved one), stores the token and saves. On a failed
// test the settings are saved inactive with the reason, and the error is
// returned.
func (s *Service) Setup(ctx context.Context, cfg config.Remote, token, project string) (SetupResult, error) {
	var res SetupResult
	u, err := timetracker.ParseServerURL(cfg.ServerURL)
	if err != nil {
		return res, err
	}
	cfg.ServerURL = u
	if err := cfg.Validate(); err != nil {
		return res, err
	}
	if token == "" {
		if token, err = s.secrets.Load(cfg.ServerURL); err != nil {
			return res, errors.New("no API token given: pass it on standard input (aw-timetracker remote setup reads it there)")
		}
	}
	if !strings.HasPrefix(token, "tt_") {
		return res, errors.New("that is not a TimeTracker API token (they start with tt_): create one under Admin → API tokens")
	}
	testErr := func() error {
		c, err := s.newClient(cfg.ServerURL, token, cfg.RatePerMinute, cfg.RatePerHour)
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
		return pickProject(&cfg, res.Projects, project)
	}()
	if testErr == nil {
		if res.Where, res.Warning, err = s.secrets.Save(cfg.ServerURL, token); err != nil {
			return res, err
		}
		cfg.TokenStore = res.Where
	}
	raw, err := cfg.Encode()
	if err != nil {
		return res, err
	}
	lastErr := ""
	if testErr != nil {
		lastErr = testErr.Error()
	}
	if _, err := s.st.SaveIntegration(ctx, Provider, "TimeTracker", raw, testErr == nil, lastErr); err != nil {
		return res, err
	}
	s.log.Info().Bool("active", testErr == nil).Str("mode", cfg.PushMode).Msg("TimeTracker settings saved")
	return res, testErr
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
	return fmt.Errorf("no TimeTracker project %q; the token's user can see: %s", want, strings.Join(names, ", "))
}

// Options for a push run from the saved settings.
func (s *Service) options(cfg config.Remote, lookbackDays int) Options {
	now := s.now()
	return Options{
		Blocks: blocks.Settings{MergeGap: time.Duration(cfg.MergeGapSeconds) * time.Second,
			MinBlock: time.Duration(cfg.MinBlockSeconds) * time.Second, CutAFK: cfg.CutAFK, Tag: "activitywatch",
			ByProject: cfg.ByProject},
		Mode: cfg.PushMode, Settle: time.Duration(cfg.SettleMinutes) * time.Minute, DefaultProject: cfg.DefaultProjectID,
		ServerZone: cfg.Zone(), Since: now.AddDate(0, 0, -lookbackDays), Now: now,
	}
}

// ErrNoRemote means no TimeTracker is set up.
var ErrNoRemote = errors.New("no TimeTracker is set up: run 'aw-timetracker remote setup --url URL'")

// Rebuild refreshes the outbox from the imported activity.
func (s *Service) Rebuild(ctx context.Context, lookbackDays int) ([]store.OutboxBlock, error) {
	st, err := s.State(ctx)
	if err != nil {
		return nil, err
	}
	if !st.Configured {
		return nil, ErrNoRemote
	}
	return Rebuild(ctx, s.st, s.options(st.Config, lookbackDays))
}

// RebuildRange refreshes the outbox for [from, to) (a day shown for review).
func (s *Service) RebuildRange(ctx context.Context, from, to time.Time) ([]store.OutboxBlock, error) {
	st, err := s.State(ctx)
	if err != nil {
		return nil, err
	}
	if !st.Configured {
		return nil, ErrNoRemote
	}
	o := s.options(st.Config, 1)
	o.Since = from
	if to.Before(o.Now) {
		o.Now = to
	}
	return Rebuild(ctx, s.st, o)
}

// Push rebuilds the outbox and sends what is ready, recording the outcome
// (last push time, status, and the reason of a failure) for remote status.
func (s *Service) Push(ctx context.Context, lookbackDays int) (Result, error) {
	st, err := s.State(ctx)
	if err != nil {
		return Result{}, err
	}
	if !st.Configured {
		return Result{}, ErrNoRemote
	}
	o := s.options(st.Config, lookbackDays)
	if _, err := Rebuild(ctx, s.st, o); err != nil {
		return Result{}, err
	}
	token, err := s.secrets.Load(st.Config.ServerURL)
	if err != nil {
		s.record(ctx, st.ID, "error", err.Error())
		return Result{}, err
	}
	c, err := s.newClient(st.Config.ServerURL, token, st.Config.RatePerMinute, st.Config.RatePerHour)
	if err != nil {
		return Result{}, err
	}
	res, err := Push(ctx, s.st, c, o)
	status, msg := "success", ""
	switch {
	case err != nil:
		status, msg = "error", err.Error()
	case len(res.Errors) > 0:
		status, msg = "partial", strings.Join(res.Errors[:min(3, len(res.Errors))], "; ")
	}
	s.record(ctx, st.ID, status, msg)
	s.log.Info().Int("created", res.Created).Int("updated", res.Updated).Int("failed", res.Failed).
		Int("conflicts", res.Conflicts).Int("waiting", res.Waiting).AnErr("error", err).Msg("push finished")
	return res, err
}

func (s *Service) record(ctx context.Context, id int64, status, msg string) {
	if err := s.st.RecordSync(context.WithoutCancel(ctx), id, s.now(), status, msg); err != nil {
		s.log.Warn().Err(err).Msg("recording the push outcome")
	}
}

// DryRun builds the blocks without storing or sending anything and returns
// those a push would send now (new or changed, settled).
func (s *Service) DryRun(ctx context.Context, lookbackDays int) ([]store.OutboxBlock, error) {
	st, err := s.State(ctx)
	if err != nil {
		return nil, err
	}
	if !st.Configured {
		return nil, ErrNoRemote
	}
	o := s.options(st.Config, lookbackDays)
	known, err := s.st.OutboxBlocks(ctx, o.Since.Add(-24*time.Hour), time.Time{})
	if err != nil {
		return nil, err
	}
	byID := map[string]store.OutboxBlock{}
	for _, k := range known {
		byID[k.ID] = k
	}
	built, err := buildOnly(ctx, s.st, o)
	if err != nil {
		return nil, err
	}
	var out []store.OutboxBlock
	for _, b := range built {
		if b.End.After(o.Now.Add(-o.Settle)) {
			continue
		}
		k, ok := byID[b.ID]
		if ok && (k.State == store.BlockDiscarded || k.State == store.BlockConflict || (k.State == store.BlockPushed && k.PushedHash == b.ContentHash)) {
			continue
		}
		if ok && k.Edited {
			b.Notes, b.ProjectID = k.Notes, k.ProjectID
		}
		if ok {
			b.State, b.RemoteID = k.State, k.RemoteID
		} else {
			b.State = o.InitialState()
		}
		if o.Mode == ModeReview && b.State == store.BlockPending {
			continue
		}
		out = append(out, b)
	}
	return out, nil
}

// Store is the store the service runs on.
func (s *Service) Store() *store.Store { return s.st }
