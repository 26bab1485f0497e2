package aiapi

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
)

// request is a validated, decoded AI request.
type request struct {
	id          string
	pipeline    pipeline.Name
	params      pipeline.Request
	contentType string
	body        []byte
	// caller is whose key the request's cost counts against.
	caller *apikey.Caller
}

// sink takes an answer as it comes. Begin is called once the orchestrator
// is chosen and the answer starts; a sink that has written to the caller
// cannot take a retry.
type sink interface {
	write(contentType string, data []byte) error
	// reset drops what a failed try wrote, if that is still possible.
	reset() bool
}

// run tries the request on orchestrators in order until one answers or
// RetryTimeout passes.
func (a *API) run(ctx context.Context, req *request, out sink) error {
	deadline := a.now().Add(a.cfg.RetryTimeout)
	tried := map[*candidate]bool{}
	var attempts []string
	var lastErr error
	refreshed := false
	a.router.refresh(ctx, false)
	if !a.router.known(string(req.pipeline), req.params.Model()) {
		a.router.refresh(ctx, true)
		refreshed = true
		if !a.router.known(string(req.pipeline), req.params.Model()) {
			return &unknownModelError{pipeline: req.pipeline, model: req.params.Model()}
		}
	}
	for ctx.Err() == nil && a.now().Before(deadline) {
		choices := a.router.choices(string(req.pipeline), req.params.Model(), a.pay.Payer != nil, a.maxPrice(req.pipeline), tried)
		if len(choices) == 0 {
			if refreshed {
				break
			}
			// Loads and slots move: ask again once before giving up.
			a.router.refresh(ctx, true)
			refreshed = true
			continue
		}
		ch := choices[0]
		tried[ch.c] = true
		attempts = append(attempts, ch.c.o.Addr())
		err := a.try(ctx, ch, req, out)
		if err == nil {
			return nil
		}
		lastErr = err
		if errors.Is(err, orchclient.ErrBadInput) || errors.Is(err, errStarted) || isFatalPayment(err) ||
			errors.Is(err, apikey.ErrSpendLimit) || ctx.Err() != nil {
			return err
		}
		a.logger.Warn("AI request failed on an orchestrator, trying another", "request", req.id, "pipeline", req.pipeline,
			"orchestrator", ch.c.o.Addr(), "err", err)
		a.metrics.retries.Inc()
		if !errors.Is(err, orchclient.ErrBusy) {
			a.router.suspendFor(ch.c, string(req.pipeline))
		}
		refreshed = false
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &unavailableError{pipeline: req.pipeline, model: req.params.Model(), within: a.cfg.RetryTimeout, tried: attempts, last: lastErr}
}

// errStarted marks a failure after part of the answer reached the caller.
var errStarted = errors.New("the answer broke off")

// try sends the request to one orchestrator, paying for it.
func (a *API) try(ctx context.Context, ch choice, req *request, out sink) error {
	start := a.now()
	pay, fee, err := a.payFor(ctx, ch, req)
	if err != nil {
		return err
	}
	var answer capture
	tctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
	defer cancel()
	res, started, err := ch.c.o.AI(tctx, ch.info.Token, orchclient.AIRequest{
		ID: req.id, Pipeline: string(req.pipeline), ModelID: ch.model.ModelID, ContentType: req.contentType, Body: req.body,
	}, pay, func(ct string, data []byte) error {
		answer.add(ct, data, req.pipeline == pipeline.LLM)
		return out.write(ct, data)
	})
	if err != nil {
		a.release(ctx, ch, req, pay, fee, errors.Is(err, orchclient.ErrPayment))
		if started && !out.reset() {
			return fmt.Errorf("%w: %w", errStarted, err)
		}
		return err
	}
	if res.Info.Address != "" || res.Info.Token.SessionID != "" {
		ch.c.update(res.Info, a.now())
	}
	ch.c.observe(string(req.pipeline), a.now().Sub(start))
	return a.settle(ctx, ch, req, pay, fee, &answer, res)
}

// capture keeps an llm answer, which is billed by what it holds.
type capture struct {
	contentType string
	body        []byte
}

// maxCapture bounds the llm answer kept for billing.
const maxCapture = 16 << 20

func (c *capture) add(ct string, data []byte, keep bool) {
	if ct != "" {
		c.contentType = ct
	}
	if keep && len(c.body)+len(data) <= maxCapture {
		c.body = append(c.body, data...)
	}
}

// units is what the answer costs.
func (req *request) units(answer *capture) int64 {
	if p, ok := req.params.(*pipeline.LLMParams); ok {
		return pipeline.LLMAnswerUnits(p, answer.contentType, answer.body)
	}
	return req.params.Units()
}

func (a *API) maxPrice(name pipeline.Name) *big.Rat {
	if p, ok := a.cfg.MaxPrices[string(name)]; ok {
		return p.Rat()
	}
	if p, ok := a.cfg.MaxPrices["default"]; ok {
		return p.Rat()
	}
	return nil
}

// billing is the balance session of a request on an orchestrator: one per
// session, pipeline and model, as the orchestrator keeps it.
func billing(ch choice, name pipeline.Name) string {
	return ch.info.Token.SessionID + "/ai/" + string(name) + "/" + ch.model.ModelID
}

// payFor pays the request's estimated fee; nil with payments off.
func (a *API) payFor(ctx context.Context, ch choice, req *request) (*ticket.Payment, *big.Rat, error) {
	if a.pay.Payer == nil {
		return nil, nil, nil
	}
	fee := new(big.Rat).Mul(ch.price, new(big.Rat).SetInt64(req.params.Units()))
	// The key's budget is charged before the deposit is: a caller at its
	// spend cap gets no ticket minted.
	if err := req.caller.Reserve(fee); err != nil {
		return nil, nil, err
	}
	pay, err := a.pay.Payer.Pay(ctx, sender.Request{
		Orchestrator: ch.info.EthAddress, Session: billing(ch, req.pipeline), Params: ch.info.Params,
		Price: ch.price, MaxPrice: a.maxPrice(req.pipeline), Fee: fee,
	})
	if err != nil {
		req.caller.Settle(fee, nil)
	}
	return pay, fee, err
}

func (a *API) settle(ctx context.Context, ch choice, req *request, pay *ticket.Payment, fee *big.Rat, answer *capture, res orchclient.AIResult) error {
	units := req.units(answer)
	a.metrics.units.WithLabelValues(ch.c.o.Addr(), string(req.pipeline)).Add(float64(units))
	if pay == nil {
		return nil
	}
	if res.BilledUnits > units {
		a.logger.Warn("orchestrator billed more units than the request costs", "orchestrator", ch.c.o.Addr(),
			"billed", res.BilledUnits, "units", units, "request", req.id)
	}
	cost := new(big.Rat).Mul(pay.ExpectedPrice, new(big.Rat).SetInt64(units))
	req.caller.Settle(fee, cost)
	_, err := a.pay.Payer.Settle(ctx, sender.Key(ch.info.EthAddress, billing(ch, req.pipeline)), fee, cost)
	if err != nil {
		a.logger.Warn("settling an AI payment failed", "request", req.id, "err", err)
	}
	return nil
}

func (a *API) release(ctx context.Context, ch choice, req *request, pay *ticket.Payment, fee *big.Rat, refused bool) {
	if pay == nil {
		return
	}
	req.caller.Settle(fee, nil)
	var back *ticket.Payment
	if refused {
		back = pay
	}
	if err := a.pay.Payer.Release(ctx, sender.Key(ch.info.EthAddress, billing(ch, req.pipeline)), fee, back); err != nil {
		a.logger.Warn("releasing an AI payment hold failed", "request", req.id, "err", err)
	}
}

// isFatalPayment reports errors no orchestrator can get past: the
// gateway itself cannot pay.
func isFatalPayment(err error) bool {
	return errors.Is(err, sender.ErrNoDeposit) || errors.Is(err, sender.ErrUnlocking)
}

// unknownModelError is a model no orchestrator offers.
type unknownModelError struct {
	pipeline pipeline.Name
	model    string
}

func (e *unknownModelError) Error() string {
	if e.model == "" {
		return fmt.Sprintf("no orchestrator offers %s", e.pipeline)
	}
	return fmt.Sprintf("no orchestrator offers %s with model %q", e.pipeline, e.model)
}

// unavailableError is a request no orchestrator took in time.
type unavailableError struct {
	pipeline pipeline.Name
	model    string
	within   time.Duration
	tried    []string
	last     error
}

func (e *unavailableError) Error() string {
	what := string(e.pipeline)
	if e.model != "" {
		what += " " + e.model
	}
	msg := fmt.Sprintf("no orchestrator could run %s within %s", what, e.within)
	if len(e.tried) == 0 {
		return msg + ": every one that offers it is at capacity or over the price limit"
	}
	return fmt.Sprintf("%s (tried %s; last: %v)", msg, strings.Join(e.tried, ", "), e.last)
}

func (e *unavailableError) Unwrap() error { return e.last }
