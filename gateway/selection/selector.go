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
	"github.com/castmesh/castmesh/pkg/discovery"
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

// Selector sends segments to orchestrators: it keeps each stream on a good
// one, moves it when the score says so, and retries a failed segment on
// another within the segment's deadline.
type Selector struct {
	cfg       Config
	gatewayID string
	pay       Payments
	logger    *slog.Logger
	metrics   *Metrics
	dir       *directory
	now       func() time.Time

	mu      sync.Mutex
	streams map[string]*streamState
}

// New dials nothing yet: connections open as discovery finds
// orchestrators. nodes is discovery's latest answer (a discovery.Cache's
// Nodes); pay is the zero Payments when payments are off.
func New(cfg Config, gatewayID string, pay Payments, nodes func() []discovery.Node, logger *slog.Logger, m *Metrics) (*Selector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dial := func(n discovery.Node) (orchestrator, error) {
		return orchclient.New(n.Addr, n.Fingerprint, cfg.MaxRenditionBytes)
	}
	return newSelector(cfg, gatewayID, pay, nodes, dial, logger, m), nil
}

func newSelector(cfg Config, gatewayID string, pay Payments, nodes func() []discovery.Node,
	dial func(discovery.Node) (orchestrator, error), logger *slog.Logger, m *Metrics,
) *Selector {
	logger = logger.With("component", "selection")
	return &Selector{
		cfg: cfg, gatewayID: gatewayID, pay: pay, logger: logger, metrics: m, now: time.Now,
		streams: map[string]*streamState{},
		dir: &directory{
			nodes: nodes, dial: dial, gatewayID: gatewayID, timeout: cfg.InfoTimeout, logger: logger,
			entries: map[string]*entry{}, max: cfg.MaxOrchestrators, maxAge: cfg.InfoMaxAge, now: time.Now,
		},
	}
}

// Run keeps the orchestrators' terms fresh until ctx ends.
func (s *Selector) Run(ctx context.Context) error {
	tick := time.NewTicker(s.cfg.InfoInterval)
	defer tick.Stop()
	for {
		s.Refresh(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Refresh brings the directory in line with discovery now, dialling the
// orchestrators it found since, asks every orchestrator for its terms and
// returns how many answered. Run calls it every InfoInterval; a call while
// a refresh runs waits for that one.
func (s *Selector) Refresh(ctx context.Context) (answered int) {
	s.dir.refresh(ctx)
	return len(s.dir.snapshot())
}

// Capacity is how many segments the orchestrators that answered the last
// refresh can transcode at once, all together: their workers' job slots.
// A file job sends this many segments at a time, so none waits in a
// queue long enough to time out.
func (s *Selector) Capacity() int {
	n := 0
	for _, v := range s.dir.snapshot() {
		n += v.info.Load.JobCapacity
	}
	return n
}

// Close drops every connection.
func (s *Selector) Close() error { return s.dir.close() }

func (s *Selector) stream(id string) *streamState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.streams[id]
	if !ok {
		st = newStreamState()
		s.streams[id] = st
	}
	return st
}

// Transcode sends one segment and returns its renditions, trying up to
// MaxAttempts orchestrators within SegmentTimeout.
func (s *Selector) Transcode(ctx context.Context, streamID string, seg media.Segment, profiles []media.Profile) ([]media.Rendition, error) {
	start := s.now()
	job, err := s.newJob(streamID, seg, profiles)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.SegmentTimeout)
	defer cancel()
	st := s.stream(streamID)
	lastErr := ErrNoOrchestrator
	refreshed := false
	for attempt := 1; attempt <= s.cfg.MaxAttempts; attempt++ {
		e, info, err := s.session(ctx, st, profiles, refreshed, start)
		if err != nil {
			if ctx.Err() == nil && errors.Is(lastErr, ErrNoOrchestrator) {
				lastErr = err
			}
			break
		}
		if attempt > 1 {
			s.metrics.retries.Inc()
		}
		tryStart := s.now()
		rs, err := s.attempt(ctx, st, e, info, job)
		if err == nil {
			e.stats.observe(true, s.now().Sub(tryStart), seg.Duration)
			st.succeeded(e.o.Addr())
			s.metrics.segments.WithLabelValues("ok").Inc()
			s.metrics.seconds.Observe(s.now().Sub(start).Seconds())
			return rs, nil
		}
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%w: %w", ErrNoOrchestrator, context.Cause(ctx))
		case errors.Is(err, orchclient.ErrBadInput):
			s.metrics.segments.WithLabelValues("bad_input").Inc()
			return nil, err
		case isFatalPayment(err):
			s.metrics.segments.WithLabelValues("unpaid").Inc()
			return nil, err
		case refreshable(err) && !refreshed:
			refreshed = true // next round asks for a fresh token and params first
		default:
			e.stats.observe(false, 0, seg.Duration)
			until := st.suspend(e.o.Addr(), s.now(), s.cfg.SuspendFor, s.cfg.SuspendMax)
			s.logger.Warn("segment failed on orchestrator", "stream", streamID, "seq", seg.Seq,
				"orchestrator", e.o.Addr(), "attempt", attempt, "suspended_until", until, "err", err)
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
func (s *Selector) attempt(ctx context.Context, st *streamState, e *entry, info orchclient.Info, j *job) ([]media.Rendition, error) {
	pay, err := s.payFor(ctx, info, j)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, s.cfg.AttemptTimeout)
	res, err := e.o.Transcode(actx, info.Token, j.streamID, j.seg, j.profiles, pay)
	cancel()
	if err != nil {
		s.release(ctx, info, j, pay, errors.Is(err, orchclient.ErrPayment))
		return nil, err
	}
	// Verification comes first and stops at the first failure (the
	// signature before any rendition is probed); the terms a reply
	// brings are taken only from a reply that passed, so a liar cannot
	// name a new signer with the renditions it failed to sign.
	delivered, err := s.check(j, info, res)
	if err != nil {
		s.metrics.rejected.Inc()
		s.release(ctx, info, j, pay, false)
		return nil, err
	}
	switch {
	case res.Info.Address != "": // whole terms
		st.remember(e, res.Info)
		s.dir.update(e, res.Info)
	case res.Info.Token.SessionID != "": // a fresh token only
		st.rememberToken(e, res.Info.Token)
	}
	if err := s.settle(ctx, e.o, info, j, pay, res, delivered); err != nil {
		return nil, err
	}
	return res.Renditions, nil
}

// session returns the stream's orchestrator and its terms. A stream stays
// where it is while that orchestrator is good; otherwise (none yet, a
// failure, or a latency score past GoodLatency with a clearly better
// candidate) it moves.
func (s *Selector) session(ctx context.Context, st *streamState, profiles []media.Profile, refresh bool, segStart time.Time) (*entry, orchclient.Info, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := s.now()
	if cur := st.current; cur != nil && !st.suspended(cur.o.Addr(), now) && !s.shouldMove(st, cur, profiles, now) {
		info := st.infos[cur]
		if refresh || info.Token.Expiration.Sub(now) < tokenRefresh {
			ictx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
			fresh, err := cur.o.GetInfo(ictx, s.gatewayID, info.Token.SessionID, s.sender())
			cancel()
			if err != nil {
				return cur, info, nil // let the transcode say what is wrong
			}
			info = fresh
			st.infos[cur] = fresh
		}
		return cur, info, nil
	}
	e, info, err := s.choose(ctx, st, profiles, segStart)
	if err != nil {
		return nil, orchclient.Info{}, err
	}
	if st.current != nil || len(st.infos) > 0 {
		if _, before := st.infos[e]; !before || st.current != e {
			s.metrics.swaps.Inc()
		}
	}
	st.current = e
	st.infos[e] = info
	return e, info, nil
}

// shouldMove reports whether a stream should leave cur for a candidate
// that scores better by SwitchMargin. A good orchestrator is never left:
// streams do not flap between near equals. Ranking every orchestrator is
// not done for every segment: at most once per InfoInterval, as often as
// the terms it ranks by change.
func (s *Selector) shouldMove(st *streamState, cur *entry, profiles []media.Profile, now time.Time) bool {
	if latency, _ := cur.stats.read(); latency <= s.cfg.GoodLatency {
		return false
	}
	if !st.ranked.IsZero() && now.Sub(st.ranked) < s.cfg.InfoInterval {
		return false
	}
	st.ranked = now
	ranked := s.rank(st, profiles, now)
	if len(ranked) == 0 || ranked[0].e == cur {
		return false
	}
	var curScore float64
	found := false
	for _, r := range ranked {
		if r.e == cur {
			curScore, found = r.score, true
		}
	}
	return !found || ranked[0].score < curScore*(1-s.cfg.SwitchMargin)
}

// ranked is a usable candidate and its score.
type ranked struct {
	e     *entry
	score float64
}

// rank filters the directory's orchestrators for the stream (capability,
// free capacity, price within the maximum, not suspended) and sorts them
// by score.
func (s *Selector) rank(st *streamState, profiles []media.Profile, now time.Time) []ranked {
	snap := s.dir.snapshot()
	usable := snap[:0]
	prices := make([]float64, 0, len(snap))
	dearest := 0.0
	for _, v := range snap {
		_, known := st.infos[v.e]
		if st.suspended(v.e.o.Addr(), now) || !s.usable(v.info, profiles, known, false) {
			continue
		}
		usable = append(usable, v)
		p := priceFloat(v.info.Price)
		prices = append(prices, p)
		dearest = max(dearest, p)
	}
	out := make([]ranked, 0, len(usable))
	for i, v := range usable {
		out = append(out, ranked{v.e, score(s.cfg.Weights, v, prices[i], dearest)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score < out[j].score
		}
		return out[i].e.o.Addr() < out[j].e.o.Addr()
	})
	return out
}

// usable reports whether an orchestrator can take the stream's segments:
// it encodes every codec asked for, has workers and a free session (or
// already holds the stream's), and can be paid within the maximum price
// (with the session's ticket params, when confirmed).
func (s *Selector) usable(info orchclient.Info, profiles []media.Profile, known, confirmed bool) bool {
	l := info.Load
	return info.CanEncode(profiles) && l.Workers > 0 && (l.Sessions < l.MaxSessions || known) && s.affordable(info, confirmed)
}

// choose picks the best-ranked orchestrator that confirms, with fresh
// terms for the stream's session, that it is still usable. With nothing
// usable it refreshes the directory once and looks again.
func (s *Selector) choose(ctx context.Context, st *streamState, profiles []media.Profile, segStart time.Time) (*entry, orchclient.Info, error) {
	if s.dir.since() > 2*s.cfg.InfoInterval {
		s.dir.refresh(ctx) // Run is not keeping it fresh (first use, or tests)
	}
	now := s.now()
	cands := s.rank(st, profiles, now)
	if len(cands) == 0 && !s.dir.freshSince(segStart) {
		s.dir.refresh(ctx)
		cands = s.rank(st, profiles, now)
	}
	asked := 0
	for _, c := range cands {
		if asked == maxConfirms {
			break
		}
		asked++
		ictx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
		info, err := c.e.o.GetInfo(ictx, s.gatewayID, st.infos[c.e].Token.SessionID, s.sender())
		cancel()
		if err != nil {
			c.e.stats.observe(false, 0, 0)
			s.logger.Debug("orchestrator did not confirm", "orchestrator", c.e.o.Addr(), "err", err)
			continue
		}
		s.dir.update(c.e, info)
		_, known := st.infos[c.e]
		if s.usable(info, profiles, known, true) {
			return c.e, info, nil
		}
	}
	return nil, orchclient.Info{}, fmt.Errorf("%w: %d known, %d usable, %d asked", ErrNoOrchestrator, len(s.dir.snapshot()), len(cands), asked)
}

// maxConfirms is how many ranked candidates one choice asks before giving
// up; each has a fresh GetInfo round trip.
const maxConfirms = 3

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
	for e, info := range st.infos {
		ectx, cancel := context.WithTimeout(ctx, s.cfg.InfoTimeout)
		if err := e.o.EndSession(ectx, info.Token); err != nil {
			s.logger.Debug("end session", "orchestrator", e.o.Addr(), "err", err)
		}
		cancel()
	}
}
