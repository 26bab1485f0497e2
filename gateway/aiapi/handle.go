package aiapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/pkg/httpjson"
)

// maxAnswerBytes bounds an answer the gateway buffers: 25 frames of 2048²
// video as MP4 are far smaller; four 2048² PNGs as data URLs fit.
const maxAnswerBytes = 256 << 20

// errBadAnswer is an answer that is not what the API promises.
var errBadAnswer = errors.New("the orchestrator's answer is malformed")

func (api *API) generate(name pipeline.Name) http.Handler {
	scope := apikey.ScopeAI + ":" + string(name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := api.now()
		sw := &httpjson.StatusWriter{ResponseWriter: w}
		if c, release, ok := api.admit(sw, r, scope); ok {
			api.serve(sw, r, name, c, release)
		}
		api.metrics.requests.WithLabelValues(string(name), strconv.Itoa(sw.Status())).Inc()
		api.metrics.seconds.WithLabelValues(string(name)).Observe(api.now().Sub(start).Seconds())
	})
}

// readBody reads a body within MaxBodyBytes, answering 413 past it.
func (api *API) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large",
				fmt.Sprintf("the body is larger than %d bytes", api.cfg.MaxBodyBytes))
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "invalid_body", "reading the body: "+err.Error())
		return nil, false
	}
	return body, true
}

// serve runs a request of caller c; release ends its concurrent slot, when
// the answer is written or, for an asynchronous request, when it is done.
func (api *API) serve(w http.ResponseWriter, r *http.Request, name pipeline.Name, c *apikey.Caller, release func()) {
	async := false
	defer func() {
		if !async {
			release()
		}
	}()
	body, ok := api.readBody(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := api.validator.Validate(ctx, r, body); err != nil {
		api.fail(w, r, err)
		return
	}
	ct := r.Header.Get("Content-Type")
	params, err := api.decoder.Decode(ctx, name, ct, body)
	if err != nil {
		api.fail(w, r, err)
		return
	}
	req := &request{id: newID(), pipeline: name, params: params, contentType: ct, body: body, caller: c}
	dataURLs := r.URL.Query().Get("media") == "data"
	base := api.deps.BaseURL(r)
	if name == pipeline.ImageToVideo && preferAsync(r) {
		//nolint:contextcheck // the work outlives the request: it runs under Run's context
		async = api.startAsync(w, req, dataURLs, base, release)
		return
	}
	if p, ok := params.(*pipeline.LLMParams); ok && p.Stream {
		out := &relay{w: w}
		if err := api.run(ctx, req, out); err != nil && !out.written {
			api.fail(w, r, err)
		}
		return
	}
	answer, err := api.answer(ctx, req, dataURLs, base)
	if err != nil {
		api.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(answer)
}

// answer runs a request and returns its checked, re-hosted answer.
func (api *API) answer(ctx context.Context, req *request, dataURLs bool, base string) ([]byte, error) {
	out := &buffer{max: maxAnswerBytes}
	if err := api.run(ctx, req, out); err != nil {
		return nil, err
	}
	resp, err := pipeline.DecodeResponse(req.pipeline, out.body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadAnswer, err)
	}
	if !dataURLs {
		for _, u := range resp.Media() {
			if mt, data, err := pipeline.ParseDataURL(*u); err == nil {
				*u = base + resultsPath + api.results.put(mt, data)
			}
		}
	}
	return json.Marshal(resp)
}

// preferAsync reports "Prefer: respond-async" (RFC 7240).
func preferAsync(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, pref := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(pref), "respond-async") {
				return true
			}
		}
	}
	return false
}

// startAsync answers 202 with a request id and runs the request in the
// background, calling release when it ends; false when it did not start.
func (api *API) startAsync(w http.ResponseWriter, req *request, dataURLs bool, base string, release func()) bool {
	ctx := api.runContext()
	if ctx == nil {
		writeError(w, http.StatusServiceUnavailable, "starting", "the gateway is starting")
		return false
	}
	started := api.async.start(ctx, &api.asyncWG, req.id, func(ctx context.Context) (json.RawMessage, *errorDetail) {
		defer release()
		answer, err := api.answer(ctx, req, dataURLs, base)
		if err != nil {
			_, code := statusOf(err)
			api.logger.Warn("asynchronous AI request failed", "request", req.id, "err", err)
			return nil, &errorDetail{Code: code, Message: err.Error()}
		}
		return answer, nil
	})
	if !started {
		writeError(w, http.StatusTooManyRequests, "too_many_requests",
			fmt.Sprintf("%d asynchronous requests are running already", api.cfg.MaxAsync))
		return false
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"request_id": req.id})
	return true
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand does not fail
	return hex.EncodeToString(b)
}
