package push

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/aw-timetracker/aw-timetracker/internal/blocks"
	"github.com/aw-timetracker/aw-timetracker/internal/config"
	"github.com/aw-timetracker/aw-timetracker/internal/secret"
	"github.com/aw-timetracker/aw-timetracker/internal/settings"
	"github.com/aw-timetracker/aw-timetracker/internal/store"
	"github.com/aw-timetracker/aw-timetracker/internal/timetracker"
)

// Provider is the integrations.provider of the central TimeTracker.
const Provider = settings.TimeTracker

// API is what the service needs from a TimeTracker server.
type API interface {
	Remote
	Info(ctx context.Context) (timetracker.Info, error)
	CheckToken(ctx context.Context) error
	Projects(ctx context.Context) ([]timetracker.Project, error)
}

// ClientFactory connects to a server with a token; every request waits
// for the pacer.
type ClientFactory func(url, token string, pace *timetracker.Pacer) (API, error)

// Lookback says how many days of activity the blocks cover (the
// ActivityWatch integration's lookback).
type Lookback interface {
	LookbackDays(ctx context.Context) int
}

// Deps are what a Service is built with.
type Deps struct {
	Store     *store.Store
	Settings  *settings.Owner // nil: one of its own over Store
	Secrets   secret.Store
	NewClient ClientFactory
	Lookback  Lookback
	Pieces    Pieces // classify.Service.Pieces
	Log       zerolog.Logger
	Now       func() time.Time // nil: time.Now
}

// Service is the push side of the app: connection settings, the outbox and
// pushing, for the engine, the CLI and the windows.
type Service struct {
	st        *store.Store
	settings  *settings.Owner
	secrets   secret.Store
	newClient ClientFactory
	lookback  Lookback
	pieces    Pieces
	log       zerolog.Logger
	now       func() time.Time

	// One client and pacer per server, token and limits for the life of
	// the process, so the rate history is not lost between pushes.
	mu        sync.Mutex
	client    API
	clientKey string
}

// NewService returns a service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Settings == nil {
		d.Settings = settings.New(d.Store)
	}
	return &Service{st: d.Store, settings: d.Settings, secrets: d.Secrets, newClient: d.NewClient, lookback: d.Lookback, pieces: d.Pieces, log: d.Log, now: d.Now}
}

// State is the remote settings, the outbox and the last push.
type State struct {
	Config     config.Remote
	Configured bool
	store.Integration
	Counts   map[store.BlockState]int
	LastPush store.PushRun
	Pushed   bool // LastPush is set
	// Trimmed is the time entries of others on the server (and the second
	// pass through a repeated DST hour) took from TrimmedBlocks blocks
	// (trimmed, split, or taken whole).
	Trimmed       time.Duration
	TrimmedBlocks int
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
	if st.Counts, err = s.st.OutboxCounts(ctx); err != nil {
		return st, err
	}
	if st.LastPush, st.Pushed, err = s.st.LastPush(ctx); err != nil {
		return st, err
	}
	st.Trimmed, st.TrimmedBlocks, err = s.st.TrimmedTotal(ctx)
	return st, err
}

// Options for a push run from the saved settings.
func (s *Service) options(cfg config.Remote, lookbackDays int) Options {
	now := s.now()
	return Options{
		Blocks: blocks.Settings{MergeGap: time.Duration(cfg.MergeGapSeconds) * time.Second,
			MinBlock: time.Duration(cfg.MinBlockSeconds) * time.Second, Tag: "activitywatch"},
		CutAFK: cfg.CutAFK, ByProject: cfg.ByProject,
		Mode: cfg.PushMode, Settle: time.Duration(cfg.SettleMinutes) * time.Minute, DefaultProject: cfg.DefaultProjectID,
		ServerZone: cfg.Zone(), Since: now.AddDate(0, 0, -lookbackDays), Now: now, Pieces: s.pieces,
	}
}

// configured reads the settings and refuses when no TimeTracker is set up.
func (s *Service) configured(ctx context.Context) (State, error) {
	st, err := s.State(ctx)
	if err == nil && !st.Configured {
		err = ErrNoRemote
	}
	return st, err
}

// Rebuild refreshes the outbox from the imported activity of the lookback
// window: the one step that writes blocks.
func (s *Service) Rebuild(ctx context.Context) ([]store.OutboxBlock, error) {
	st, err := s.configured(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.withTaken(ctx, s.options(st.Config, s.lookback.LookbackDays(ctx)))
	if err != nil {
		return nil, err
	}
	return Rebuild(ctx, s.st, o)
}

// connect returns the client for cfg and token, reusing the one made
// before when nothing changed. A new pacer starts from the requests of the
// last hour, recorded in the store.
func (s *Service) connect(ctx context.Context, cfg config.Remote, token string) (API, error) {
	key := fmt.Sprintf("%s|%x|%d|%d", cfg.ServerURL, sha256.Sum256([]byte(token)), cfg.RatePerMinute, cfg.RatePerHour)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil && s.clientKey == key {
		return s.client, nil
	}
	pace := timetracker.NewPacer(cfg.RatePerMinute, cfg.RatePerHour)
	recent, err := s.st.RecentRequests(ctx, cfg.ServerURL, time.Now().Add(-time.Hour)) // the pacer counts in wall time
	if err != nil {
		return nil, err
	}
	pace.Seed(recent)
	server := cfg.ServerURL
	pace.Sent = func(at time.Time) {
		if err := s.st.AddRequest(context.Background(), server, at); err != nil {
			s.log.Warn().Err(err).Msg("recording a request for the rate limit")
		}
	}
	c, err := s.newClient(cfg.ServerURL, token, pace)
	if err != nil {
		return nil, err
	}
	s.client, s.clientKey = c, key
	return c, nil
}

// Push rebuilds the outbox and sends what is ready, recording the outcome
// for remote status and the tray.
func (s *Service) Push(ctx context.Context) (Result, error) {
	st, err := s.configured(ctx)
	if err != nil {
		return Result{}, err
	}
	o := s.options(st.Config, s.lookback.LookbackDays(ctx))
	res, err := s.send(ctx, st, o)
	run := store.PushRun{At: s.now(), Status: store.StatusSuccess, Created: res.Created, Updated: res.Updated,
		Failed: res.Failed, Conflicts: res.Conflicts, Waiting: res.Waiting, Removed: res.Removed}
	switch {
	case err != nil:
		run.Status, run.Message = store.StatusError, err.Error()
	case len(res.Errors) > 0:
		run.Status, run.Message = store.StatusPartial, strings.Join(res.Errors[:min(3, len(res.Errors))], "; ")
	}
	if rerr := s.st.RecordPush(context.WithoutCancel(ctx), run); rerr != nil {
		s.log.Warn().Err(rerr).Msg("recording the push outcome")
	}
	s.log.Info().Int("created", res.Created).Int("updated", res.Updated).Int("failed", res.Failed).
		Int("conflicts", res.Conflicts).Int("waiting", res.Waiting).AnErr("error", err).Msg("push finished")
	return res, err
}

func (s *Service) send(ctx context.Context, st State, o Options) (Result, error) {
	token, err := s.token(st)
	if err != nil {
		return Result{}, err
	}
	c, err := s.connect(ctx, st.Config, token)
	if err != nil {
		return Result{}, err
	}
	// One read of the server's projects per push: local projects go to
	// the TimeTracker project of their own name.
	ps, err := c.Projects(ctx)
	if err != nil {
		return Result{}, err
	}
	o.RemoteByName = make(map[string]int64, len(ps))
	for _, p := range ps {
		if _, dup := o.RemoteByName[strings.ToLower(p.Name)]; !dup {
			o.RemoteByName[strings.ToLower(p.Name)] = p.ID
		}
	}
	res, err := s.reconcileAndPush(ctx, c, o)
	if err != nil || res.Conflicts == 0 {
		return res, err
	}
	// Refused for an overlap: the server changed between the read and the
	// write (an entry typed meanwhile). Read it again and retry once.
	conflicted, err := s.st.OutboxBlocks(ctx, time.Time{}, time.Time{}, store.BlockConflict)
	if err != nil {
		return res, err
	}
	for _, b := range conflicted {
		if err := s.st.SetBlockState(ctx, b.ID, o.InitialState(), "", time.Time{}); err != nil {
			return res, err
		}
	}
	again, err := s.reconcileAndPush(ctx, c, o)
	again.Created, again.Updated, again.Removed = again.Created+res.Created, again.Updated+res.Updated, again.Removed+res.Removed
	again.Failed += res.Failed
	return again, err
}

// reconcileAndPush reads what is on the server for the range in one
// paginated pass (blocks fill only the time no one else's entry holds; a
// person's edits and deletions are noted), rebuilds the blocks around it
// and sends them.
//
// The outbox is read twice: once for the reconcile and the rebuild (the
// server's entries of ours are those of the blocks read, which start at
// most a day before the range: a block is never longer), once to send.
func (s *Service) reconcileAndPush(ctx context.Context, c API, o Options) (Result, error) {
	known, err := readKnown(ctx, s.st, o)
	if err != nil {
		return Result{}, err
	}
	ours := map[int64]store.OutboxBlock{}
	for _, b := range known {
		if b.RemoteID != 0 {
			ours[b.RemoteID] = b
		}
	}
	view, err := ReadServer(ctx, c, o.ServerZone, o.Since, o.Now, o.Now, ours)
	if err != nil {
		return Result{}, err
	}
	changed := map[string]store.BlockState{}
	for state, ids := range map[store.BlockState][]string{store.BlockChanged: view.Changed, store.BlockDeleted: view.Deleted} {
		for _, id := range ids {
			s.log.Info().Str("block", id[:10]).Str("state", string(state)).Msg("a person changed this block's entry on the server: it is theirs now")
			if err := s.st.SetBlockState(ctx, id, state, "", time.Time{}); err != nil {
				return Result{}, err
			}
			changed[id] = state
		}
	}
	for i, b := range known { // the rebuild sees what was just written
		if state, ok := changed[b.ID]; ok {
			known[i].State, known[i].LastError, known[i].NextAttempt = state, "", time.Time{}
		}
	}
	o.Taken = view.Taken
	if err := s.st.SaveTaken(ctx, o.Taken); err != nil {
		return Result{}, err
	}
	if _, err := rebuildFrom(ctx, s.st, o, known); err != nil {
		return Result{}, err
	}
	if o.mapping, err = remoteProjects(ctx, s.st, o.RemoteByName); err != nil {
		return Result{}, err
	}
	if err := s.follow(ctx, o, known); err != nil {
		return Result{}, err
	}
	return Push(ctx, s.st, c, o) // with the mapping read once
}

// follow queues again the pushed blocks of the range whose entry is in
// another TimeTracker project than the block goes to now (a remote map,
// a project of the same name created on the server, another default):
// the push moves the entries. A person's edit there was read just before
// (changed: theirs, not touched).
func (s *Service) follow(ctx context.Context, o Options, known []store.OutboxBlock) error {
	for _, b := range known {
		if b.State != store.BlockPushed || b.Start.Before(o.Since) || b.Sent.Project == 0 {
			continue
		}
		if to := remoteProjectOf(o, o.mapping, b.ProjectID); to != 0 && to != b.Sent.Project {
			if err := s.st.RequeueIfPushed(ctx, b.ID, o.InitialState()); err != nil { // the rebuild may have moved it on
				return err
			}
		}
	}
	return nil
}

// withTaken adds the time others' entries held at the last push, so
// blocks rebuilt between pushes are cut the same way.
func (s *Service) withTaken(ctx context.Context, o Options) (Options, error) {
	var err error
	o.Taken, err = s.st.Taken(ctx)
	return o, err
}

// Blocks lists the outbox's blocks overlapping [from, to) (zero: open),
// optionally only those in the given states. It only reads.
func (s *Service) Blocks(ctx context.Context, from, to time.Time, states ...store.BlockState) ([]store.OutboxBlock, error) {
	return s.st.OutboxBlocks(ctx, from, to, states...)
}

// DryRun builds the blocks without storing or sending anything and returns
// those a push would send now (new or changed, settled).
func (s *Service) DryRun(ctx context.Context) ([]store.OutboxBlock, error) {
	st, err := s.configured(ctx)
	if err != nil {
		return nil, err
	}
	o := s.options(st.Config, s.lookback.LookbackDays(ctx))
	known, err := s.st.OutboxBlocks(ctx, o.Since.Add(-24*time.Hour), time.Time{})
	if err != nil {
		return nil, err
	}
	byID := map[string]store.OutboxBlock{}
	for _, k := range known {
		byID[k.ID] = k
	}
	if o, err = s.withTaken(ctx, o); err != nil {
		return nil, err
	}
	built, err := buildOnly(ctx, s.st, o, known)
	if err != nil {
		return nil, err
	}
	built, _ = fit(built, o.Taken, leftOnServer(known, o.Since), o.ServerZone, o.Blocks.MinBlock)
	var out []store.OutboxBlock
	for _, b := range built {
		k, ok := byID[b.ID]
		switch {
		case !ok:
			b.State = o.InitialState()
		case k.State == store.BlockPushed && k.PushedHash != b.ContentHash:
			b.State, b.RemoteID = o.InitialState(), k.RemoteID // the rebuild asks for an update
		default:
			b.State, b.RemoteID = k.State, k.RemoteID
		}
		if ok && k.Edited {
			b.Notes, b.ProjectID = k.Notes, k.ProjectID
		}
		if send, _ := o.ready(b); send {
			out = append(out, b)
		}
	}
	return out, nil
}
