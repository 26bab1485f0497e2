package aiapi

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// asyncJobs runs image-to-video requests made with "Prefer:
// respond-async" and keeps their outcome for the result route.
type asyncJobs struct {
	ttl   time.Duration
	slots chan struct{}
	now   func() time.Time

	mu   sync.Mutex
	jobs map[string]*asyncJob
}

type asyncJob struct {
	done    bool
	result  json.RawMessage // the answer, set once done without error
	err     *errorDetail
	expires time.Time
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func newAsyncJobs(max int, ttl time.Duration) *asyncJobs {
	return &asyncJobs{ttl: ttl, slots: make(chan struct{}, max), now: time.Now, jobs: map[string]*asyncJob{}}
}

// start runs do in the background under ctx (the API's, not the caller's);
// false when MaxAsync requests already run.
func (a *asyncJobs) start(ctx context.Context, wg *sync.WaitGroup, id string, do func(ctx context.Context) (json.RawMessage, *errorDetail)) bool {
	select {
	case a.slots <- struct{}{}:
	default:
		return false
	}
	a.mu.Lock()
	a.jobs[id] = &asyncJob{expires: a.now().Add(a.ttl)}
	a.mu.Unlock()
	wg.Go(func() {
		defer func() { <-a.slots }()
		result, err := do(ctx)
		a.mu.Lock()
		defer a.mu.Unlock()
		if j := a.jobs[id]; j != nil {
			j.done, j.result, j.err, j.expires = true, result, err, a.now().Add(a.ttl)
		}
	})
	return true
}

// resultResponse is POST /image-to-video/result's answer, as Livepeer's
// gateway gives it.
type resultResponse struct {
	Status string          `json:"status"`
	Result json.RawMessage `json:"result,omitempty"`
}

func (a *asyncJobs) lookup(id string) (resultResponse, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	j, ok := a.jobs[id]
	if !ok {
		return resultResponse{}, false
	}
	if !j.done {
		return resultResponse{Status: "processing"}, true
	}
	if j.err != nil {
		b, _ := json.Marshal(map[string]any{"error": j.err})
		return resultResponse{Status: "complete", Result: b}, true
	}
	return resultResponse{Status: "complete", Result: j.result}, true
}

func (a *asyncJobs) sweep() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	for id, j := range a.jobs {
		if j.done && now.After(j.expires) {
			delete(a.jobs, id)
		}
	}
}

// serveResult answers POST /image-to-video/result {"request_id": …}.
func (api *API) serveResult(w http.ResponseWriter, r *http.Request) {
	body, ok := api.readBody(w, r)
	if !ok {
		return
	}
	if err := api.validator.Validate(r.Context(), r, body); err != nil {
		api.fail(w, r, err)
		return
	}
	var req struct {
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_body", err.Error())
		return
	}
	res, ok := api.async.lookup(req.RequestID)
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "no such request: ids are kept for "+api.async.ttl.String()+" after they finish")
		return
	}
	writeJSON(w, http.StatusOK, res)
}
