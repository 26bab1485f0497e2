package workers

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func addAI(t *testing.T, p *Pool, id string, conn Conn, models ...AIModel) {
	t.Helper()
	if _, err := p.Add(Info{ID: id, Capacity: 1, AI: models}, conn); err != nil {
		t.Fatal(err)
	}
}

func answer(text string) func(context.Context, AIJob, AIOutput) (time.Duration, error) {
	return func(_ context.Context, _ AIJob, out AIOutput) (time.Duration, error) {
		return time.Millisecond, out("application/json", []byte(text))
	}
}

func upscaleJob() AIJob { return AIJob{Pipeline: "upscale", ModelID: "m", Body: []byte("{}")} }

func collect(t *testing.T, p *Pool, job AIJob) (AIResult, string, error) {
	t.Helper()
	var got []byte
	res, err := p.RunAI(t.Context(), job, func(_ string, data []byte) error {
		got = append(got, data...)
		return nil
	})
	return res, string(got), err
}

func TestAIWarmFirstThenLeastLoaded(t *testing.T) {
	p, _ := newPool(t)
	addAI(t, p, "cold", &fakeConn{ai: answer("cold")}, AIModel{Pipeline: "upscale", ModelID: "m", Capacity: 4})
	addAI(t, p, "warm", &fakeConn{ai: answer("warm")}, AIModel{Pipeline: "upscale", ModelID: "m", Warm: true, Capacity: 1})
	res, body, err := collect(t, p, upscaleJob())
	if err != nil || res.WorkerID != "warm" || body != "warm" {
		t.Fatalf("went to %q (%q): %v", res.WorkerID, body, err)
	}
	// With the warm worker's one slot taken, the cold one gets the next.
	release := make(chan struct{})
	warm := &fakeConn{ai: func(ctx context.Context, j AIJob, out AIOutput) (time.Duration, error) {
		<-release
		return answer("warm")(ctx, j, out)
	}}
	p2, _ := newPool(t)
	addAI(t, p2, "warm", warm, AIModel{Pipeline: "upscale", ModelID: "m", Warm: true, Capacity: 1})
	addAI(t, p2, "cold", &fakeConn{ai: answer("cold")}, AIModel{Pipeline: "upscale", ModelID: "m", Capacity: 1})
	done := make(chan error, 1)
	go func() { _, _, err := collect(t, p2, upscaleJob()); done <- err }()
	waitFor(t, func() bool { return warm.running.Load() == 1 })
	if res, _, err := collect(t, p2, upscaleJob()); err != nil || res.WorkerID != "cold" {
		t.Fatalf("second request went to %q: %v", res.WorkerID, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	models := p2.AIModels()
	if len(models) != 1 || !models[0].Warm || models[0].Capacity != 2 || models[0].InUse != 0 {
		t.Fatalf("models %+v", models)
	}
}

func TestAIBusyAndMissing(t *testing.T) {
	p, _ := newPool(t)
	release := make(chan struct{})
	slow := &fakeConn{ai: func(ctx context.Context, j AIJob, out AIOutput) (time.Duration, error) {
		<-release
		return answer("x")(ctx, j, out)
	}}
	addAI(t, p, "w", slow, AIModel{Pipeline: "upscale", ModelID: "m", Capacity: 1})
	if _, _, err := collect(t, p, AIJob{Pipeline: "upscale", ModelID: "other"}); !errors.Is(err, ErrNoModel) {
		t.Fatalf("unknown model: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, _, err := collect(t, p, upscaleJob()); done <- err }()
	waitFor(t, func() bool { return slow.running.Load() == 1 })
	// Full: the answer is immediate, not a queue.
	if _, _, err := collect(t, p, upscaleJob()); !errors.Is(err, ErrModelBusy) {
		t.Fatalf("full: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// A runner gone unhealthy reports capacity 0: the model is not served.
	p.UpdateAI("w", []AIModel{{Pipeline: "upscale", ModelID: "m", Capacity: 0}})
	if _, _, err := collect(t, p, upscaleJob()); !errors.Is(err, ErrNoModel) {
		t.Fatalf("unhealthy: %v", err)
	}
	if len(p.AIModels()) != 0 {
		t.Fatalf("an unhealthy model is offered: %+v", p.AIModels())
	}
}

func TestAIRetriesOnlyBeforeOutput(t *testing.T) {
	p, m := newPool(t)
	failing := &fakeConn{ai: func(context.Context, AIJob, AIOutput) (time.Duration, error) {
		return 0, &JobError{Message: "runner crashed"}
	}}
	addAI(t, p, "a", failing, AIModel{Pipeline: "upscale", ModelID: "m", Warm: true, Capacity: 1})
	addAI(t, p, "b", &fakeConn{ai: answer("ok")}, AIModel{Pipeline: "upscale", ModelID: "m", Capacity: 1})
	res, body, err := collect(t, p, upscaleJob())
	if err != nil || res.WorkerID != "b" || body != "ok" || testutil.ToFloat64(m.retries) != 1 {
		t.Fatalf("went to %q: %v", res.WorkerID, err)
	}

	// A failure after part of the answer went out cannot be retried.
	p2, _ := newPool(t)
	midway := &fakeConn{ai: func(_ context.Context, _ AIJob, out AIOutput) (time.Duration, error) {
		_ = out("text/event-stream", []byte("data: {}\n\n"))
		return 0, &JobError{Message: "runner crashed"}
	}}
	addAI(t, p2, "a", midway, AIModel{Pipeline: "llm", ModelID: "m", Warm: true, Capacity: 1})
	addAI(t, p2, "b", &fakeConn{ai: answer("ok")}, AIModel{Pipeline: "llm", ModelID: "m", Capacity: 1})
	if _, body, err := collect(t, p2, AIJob{Pipeline: "llm", ModelID: "m"}); err == nil || body != "data: {}\n\n" {
		t.Fatalf("got %q %v", body, err)
	}

	// Bad input is not retried either.
	p3, _ := newPool(t)
	bad := &fakeConn{ai: func(context.Context, AIJob, AIOutput) (time.Duration, error) {
		return 0, &JobError{Input: true, Message: "not an image"}
	}}
	other := &fakeConn{ai: answer("ok")}
	addAI(t, p3, "a", bad, AIModel{Pipeline: "upscale", ModelID: "m", Warm: true, Capacity: 1})
	addAI(t, p3, "b", other, AIModel{Pipeline: "upscale", ModelID: "m", Capacity: 1})
	if _, _, err := collect(t, p3, upscaleJob()); !IsInputError(err) || other.jobs.Load() != 0 {
		t.Fatalf("bad input: %v, retried %d", err, other.jobs.Load())
	}
}
