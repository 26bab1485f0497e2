package selection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/media"
)

// orchestrator is what selection needs of an orchestrator client.
type orchestrator interface {
	Addr() string
	GetInfo(ctx context.Context, gatewayID, sessionID string, sender common.Address) (orchclient.Info, error)
	Transcode(ctx context.Context, tok orchclient.Token, streamID string, seg media.Segment, profiles []media.Profile, pay *ticket.Payment) (orchclient.Result, error)
	EndSession(ctx context.Context, tok orchclient.Token) error
	Close() error
}

// tokenRefresh is how long before its expiry a token is renewed.
const tokenRefresh = 3 * time.Minute

// Selector sends segments to orchestrators.
type Selector struct {
	cfg        Config
	gatewayID  string
	pay        Payments
	logger     *slog.Logger
	metrics    *Metrics
	candidates []orchestrator
	now        func() time.Time

	mu      sync.Mutex
	streams map[string]*streamState
}

// streamState is one stream's orchestrator and the ones it avoids. Its mutex
// serializes choosing, so concurrent segments do not each pick.
type streamState struct {
	mu        sync.Mutex
	current   orchestrator
	suspended map[string]time.Time // address → until
	// infos are the latest terms of each orchestrator the stream used:
	// its session token, ticket params and price.
	infos map[orchestrator]orchclient.Info
}

// New dials nothing yet: connections open on first use. pay is the zero
// Payments when payments are off.
func New(cfg Config, gatewayID string, pay Payments, logger *slog.Logger, m *Metrics) (*Selector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var cands []orchestrator
	for _, o := range cfg.Orchestrators {
		c, err := orchclient.New(o.Addr, o.Fingerprint, cfg.MaxRenditionBytes)
		if err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	return newSelector(cfg, gatewayID, pay, cands, logger, m), nil
}

func newSelector(cfg Config, gatewayID string, pay Payments, cands []orchestrator, logger *slog.Logger, m *Metrics) *Selector {
	return &Selector{
		cfg: cfg, gatewayID: gatewayID, pay: pay, logger: logger.With("component", "selection"), metrics: m,
		candidates: cands, now: time.Now, streams: map[string]*streamState{},
	}
}

// Close drops every connection.
func (s *Selector) Close() error {
	var errs []error
	for _, c := range s.candidates {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

func (s *Selector) stream(id string) *streamState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.streams[id]
	if !ok {
		st = &streamState{suspended: map[string]time.Time{}, infos: map[orchestrator]orchclient.Info{}}
		s.streams[id] = st
	}
	return st
}

// Transcode sends one segment and returns its renditions, trying up to
// MaxAttempts times across orchestrators.
func (s *Selector) Transcode(ctx context.Context, streamID string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error) {
	start := s.now()
	job, err := s.newJob(streamID, seg, profiles)
	if err != nil {
		return nil, err
	}
	st := s.stream(streamID)
	lastErr := ErrNoOrchestrator
	refreshed := false
	for attempt := 1; attempt <= s.cfg.MaxAttempts; attempt++ {
		o, info, err := s.session(ctx, st, profiles, refreshed)
		if err != nil {
			if ctx.Err() == nil && errors.Is(lastErr, ErrNoOrchestrator) {
				lastErr = err
			}
			break
		}
		if attempt > 1 {
			s.metrics.retries.Inc()
		}
		rs, err := s.attempt(ctx, st, o, info, job)
		if err == nil {
			s.metrics.segments.WithLabelValues("ok").Inc()
			s.metrics.seconds.Observe(s.now().Sub(start).Seconds())
			return rs, nil
		}
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.Is(err, orchclient.ErrBadInput):
			s.metrics.segments.WithLabelValues("bad_input").Inc()
			return nil, err
		case isFatalPayment(err):
			s.metrics.segments.WithLabelValues("unpaid").Inc()
			return nil, err
		case refreshable(err) && !refreshed:
			refreshed = true // next round asks for a fresh token and params first
		default:
			s.logger.Warn("segment failed on orchestrator", "stream", streamID, "seq", seg.Seq,
				"orchestrator", o.Addr(), "attempt", attempt, "err", err)
			st.suspend(o, s.now().Add(s.cfg.SuspendFor))
		}
		lastErr = err
	}
	s.metrics.segments.WithLabelValues("failed").Inc()
	return nil, fmt.Errorf("%w: %w", ErrNoOrchestrator, lastErr)
}

// refreshable errors may pass with a fresh token and fresh params.
func refreshable(err error) bool {
	return errors.Is(err, orchclient.ErrAuth) || errors.Is(err, sender.ErrBadParams)
}

// attempt sends the job to one orchestrator, paying for it when payments
// are on.
func (s *Selector) attempt(ctx context.Context, st *streamState, o orchestrator, info orchclient.Info, j *job) ([]media.Rendition, error) {
	pay, err := s.payFor(ctx, info, j)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, s.cfg.AttemptTimeout)
	res, err := o.Transcode(actx, info.Token, j.streamID, j.seg, j.profiles, pay)
	cancel()
	if err != nil {
		s.release(ctx, info, j, pay, errors.Is(err, orchclient.ErrPayment))
		return nil, err
	}
	st.remember(o, res.Info)
	if err := s.settle(ctx, o, info, j, pay, res); err != nil {
		return nil, err
	}
	return res.Renditions, nil
}

// session returns the stream's orchestrator and its terms, choosing an
// orchestrator first when the stream has none.
func (s *Selector) session(ctx context.Context, st *streamState, profiles []media.Profile, refresh bool) (orchestrator, orchclient.Info, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.current == nil {
		o, info, err := s.choose(ctx, st, profiles)
		if err != nil {
			return nil, orchclient.Info{}, err
		}
		if _, before := st.infos[o]; !before && len(st.infos) > 0 {
			s.metrics.swaps.Inc()
		}
		st.current = o
		st.infos[o] = info
		return o, info, nil
	}
	info := st.infos[st.current]
	if refresh || info.Token.Expiration.Sub(s.now()) < tokenRefresh {
		ictx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
		fresh, err := st.current.GetInfo(ictx, s.gatewayID, info.Token.SessionID, s.sender())
		cancel()
		if err != nil {
			return st.current, info, nil // let the transcode say what is wrong
		}
		info = fresh
		st.infos[st.current] = fresh
	}
	return st.current, info, nil
}

type candidate struct {
	o    orchestrator
	info orchclient.Info
}

// choose asks every unsuspended candidate for its terms and picks the least
// loaded one that can take the stream.
func (s *Selector) choose(ctx context.Context, st *streamState, profiles []media.Profile) (orchestrator, orchclient.Info, error) {
	now := s.now()
	var ask []orchestrator
	for _, o := range s.candidates {
		if until, ok := st.suspended[o.Addr()]; !ok || now.After(until) {
			ask = append(ask, o)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
	defer cancel()
	answers := make(chan candidate, len(ask))
	var wg sync.WaitGroup
	for _, o := range ask {
		wg.Go(func() {
			info, err := o.GetInfo(ctx, s.gatewayID, st.infos[o].Token.SessionID, s.sender())
			if err != nil {
				s.logger.Debug("orchestrator did not answer", "orchestrator", o.Addr(), "err", err)
				return
			}
			answers <- candidate{o, info}
		})
	}
	wg.Wait()
	close(answers)
	var usable []candidate
	for c := range answers {
		l := c.info.Load
		_, known := st.infos[c.o]
		if c.info.CanEncode(profiles) && l.Workers > 0 && (l.Sessions < l.MaxSessions || known) && s.affordable(c.info) {
			usable = append(usable, c)
		}
	}
	if len(usable) == 0 {
		return nil, orchclient.Info{}, fmt.Errorf("%w: %d candidates, %d asked, none usable", ErrNoOrchestrator, len(s.candidates), len(ask))
	}
	sort.Slice(usable, func(i, j int) bool { return less(usable[i], usable[j]) })
	return usable[0].o, usable[0].info, nil
}

func less(a, b candidate) bool {
	la, lb := ratio(a.info.Load.JobsInFlight, a.info.Load.JobCapacity), ratio(b.info.Load.JobsInFlight, b.info.Load.JobCapacity)
	if la != lb {
		return la < lb
	}
	sa, sb := ratio(a.info.Load.Sessions, a.info.Load.MaxSessions), ratio(b.info.Load.Sessions, b.info.Load.MaxSessions)
	if sa != sb {
		return sa < sb
	}
	return a.o.Addr() < b.o.Addr()
}

func ratio(n, d int) float64 {
	if d <= 0 {
		return 1
	}
	return float64(n) / float64(d)
}

// remember keeps the fresh terms an orchestrator sent with a result.
func (st *streamState) remember(o orchestrator, info orchclient.Info) {
	if info.Token.SessionID == "" {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.infos[o] = info
}

func (st *streamState) suspend(o orchestrator, until time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.suspended[o.Addr()] = until
	if st.current == o {
		st.current = nil
	}
}

// EndStream forgets a stream and ends its sessions (best effort).
func (s *Selector) EndStream(ctx context.Context, streamID string) {
	s.mu.Lock()
	st, ok := s.streams[streamID]
	delete(s.streams, streamID)
	s.mu.Unlock()
	if !ok {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for o, info := range st.infos {
		ectx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
		if err := o.EndSession(ectx, info.Token); err != nil {
			s.logger.Debug("end session", "orchestrator", o.Addr(), "err", err)
		}
		cancel()
	}
}
