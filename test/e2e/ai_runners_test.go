package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// testRunner is a test/airunner process: an independent implementation of
// the ai-runner API serving text-to-image in one solid color.
type testRunner struct {
	url   string
	color [3]uint8
}

var (
	runnerBinOnce sync.Once
	runnerBin     string
	errRunnerBin  error
)

func startTestRunner(t *testing.T, name, hexColor, token string) *testRunner {
	t.Helper()
	runnerBinOnce.Do(func() {
		runnerBin, errRunnerBin = harness.BuildCommand(context.WithoutCancel(t.Context()), filepath.Dir(binary), "test/airunner", false)
	})
	if errRunnerBin != nil {
		t.Fatal(errRunnerBin)
	}
	ready := filepath.Join(t.TempDir(), name+".addr")
	harness.Start(t, name, runnerBin, "--model", "test/solid", "--color", hexColor, "--token", token, "--ready-file", ready)
	var addr []byte
	fixture.Eventually(t, 10*time.Second, func() bool {
		b, err := os.ReadFile(ready)
		addr = b
		return err == nil && len(b) > 0
	})
	r := &testRunner{url: "http://" + string(addr)}
	if _, err := fmt.Sscanf(hexColor, "%02x%02x%02x", &r.color[0], &r.color[1], &r.color[2]); err != nil {
		t.Fatal(err)
	}
	return r
}

// control calls one of the runner's test routes.
func (r *testRunner) control(t *testing.T, method, path, body string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, r.url+"/control/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}

func (r *testRunner) count(t *testing.T) int {
	n, _ := strconv.Atoi(r.control(t, http.MethodGet, "count", ""))
	return n
}

// runnerNet is a gateway and two orchestrators, each with a worker that
// serves text-to-image through an external runner: the first's warm and
// red, the second's cold and blue. Payments are off.
type runnerNet struct {
	api, gwAdmin string
	runners      [2]*testRunner
	orchAdmins   [2]string
}

func startRunnerNet(t *testing.T) *runnerNet {
	t.Helper()
	n := &runnerNet{}
	a := harness.FreeAddrs(t, 8)
	n.api, n.gwAdmin = "http://"+a[0], "http://"+a[1]
	var orchs []string
	for i, hex := range []string{"ff0000", "0000ff"} {
		token := fmt.Sprintf("runner-token-%d", i+1)
		n.runners[i] = startTestRunner(t, fmt.Sprintf("runner-%d", i+1), hex, token)
		grpc, admin := a[2+2*i], a[3+2*i]
		n.orchAdmins[i] = "http://" + admin
		orchs = append(orchs, `{"addr":"`+grpc+`"}`)
		harness.Start(t, fmt.Sprintf("orchestrator-%d", i+1), binary, "orchestrator", "--grpc-addr", grpc, "--admin-addr", admin,
			"--worker-secret", workerSecret, "--heartbeat", "300ms", "--payments.mode", "off", "--log.level", "debug")
		models := fmt.Sprintf(`[{"pipeline":"text-to-image","model_id":"test/solid","url":%q,"token":%q,"warm":%t,"capacity":1,"timeout":"1m"}]`,
			n.runners[i].url, token, i == 0)
		harness.Start(t, fmt.Sprintf("worker-%d", i+1), binary, "worker", "--orchestrator", grpc, "--secret", workerSecret,
			"--id", fmt.Sprintf("ai-%d", i+1), "--admin-addr", a[6+i], "--reconnect-min", "100ms",
			"--ai.models", models, "--ai.health-interval", "200ms", "--log.level", "debug")
	}
	harness.Start(t, "gateway", binary, "gateway", "--rtmp.addr", "127.0.0.1:0", "--http-addr", a[0], "--admin-addr", a[1],
		"--selection.orchestrators", "["+strings.Join(orchs, ",")+"]", "--payments.mode", "off",
		"--ai.info-ttl", "200ms", "--ai.suspend", "2s", "--log.level", "debug")
	for _, admin := range n.orchAdmins {
		fixture.Eventually(t, time.Minute, func() bool {
			return strings.Contains(orchStatus(t, admin), `"model_id":"test/solid"`)
		}, "the workers to register their runners")
	}
	fixture.Eventually(t, time.Minute, func() bool {
		return n.post(solid("a cat")) == "200 OK"
	}, "the gateway to answer text-to-image")
	return n
}

func solid(prompt string) map[string]any {
	return map[string]any{"prompt": prompt, "model_id": "test/solid", "width": 8, "height": 8}
}

// generate asks for an image and says which runner drew it: 0 or 1, or -1
// for a failure.
func (n *runnerNet) generate(t *testing.T, prompt string) (int, aiAnswer) {
	t.Helper()
	a := aiJSON(t, n.api+"/text-to-image", solid(prompt))
	if a.status != http.StatusOK {
		return -1, a
	}
	var got imagesAnswer
	a.ok(t, &got)
	_, data := fetchMedia(t, got.Images[0].URL)
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r, _, b, _ := img.At(0, 0).RGBA()
	for i, run := range n.runners {
		if uint8(r>>8) == run.color[0] && uint8(b>>8) == run.color[2] {
			return i, a
		}
	}
	t.Fatalf("an image no runner draws")
	return -1, a
}

// post sends a text-to-image request from a goroutine other than the
// test's, and returns the answer's status or the error.
func (n *runnerNet) post(body map[string]any) string {
	b, _ := json.Marshal(body)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.api+"/text-to-image", bytes.NewReader(b))
	if err != nil {
		return err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err.Error()
	}
	resp.Body.Close()
	return resp.Status
}

// TestAIExternalRunners drives ai-runner API processes through workers'
// external runner configuration: warm before cold, the runner's error
// shapes passed on as the caller's errors, a runner gone unhealthy passed
// over, a full network answering 503 at once.
func TestAIExternalRunners(t *testing.T) {
	n := startRunnerNet(t)
	specs := loadSpecs(t)

	t.Run("warm runner first", func(t *testing.T) {
		cold := n.runners[1].count(t)
		for range 3 {
			if i, a := n.generate(t, "a cat"); i != 0 {
				t.Fatalf("runner %d answered (%d %s), want the warm one", i, a.status, a.body)
			}
		}
		if c := n.runners[1].count(t) - cold; c != 0 {
			t.Errorf("the cold runner answered %d requests", c)
		}
	})

	t.Run("runner errors are the caller's", func(t *testing.T) {
		retries := metric(t, n.gwAdmin+"/metrics", "castmesh_gateway_ai_retries_total")
		// 422 {"detail":[{loc,msg,type}]} and 400 {"detail":{"msg"}}.
		for prompt, msg := range map[string]string{
			"invalid": "the test runner takes no such prompt",
			"refuse":  "Prompt refused by the test runner.",
		} {
			a := aiJSON(t, n.api+"/text-to-image", solid(prompt))
			e := a.failed(t, http.StatusBadRequest, "invalid_request")
			if !strings.Contains(e.Error.Message, msg) {
				t.Errorf("%s: message %q, want the runner's %q", prompt, e.Error.Message, msg)
			}
			specs.conform(t, a, false)
		}
		if after := metric(t, n.gwAdmin+"/metrics", "castmesh_gateway_ai_retries_total"); after != retries {
			t.Errorf("the caller's errors were tried again elsewhere %v times", after-retries)
		}
	})

	t.Run("unhealthy runner passed over", func(t *testing.T) {
		n.runners[0].control(t, http.MethodPut, "health", "ERROR")
		// Every request succeeds while the network notices: a request
		// that reaches the failing runner is tried on the other.
		fixture.Eventually(t, 30*time.Second, func() bool {
			i, a := n.generate(t, "a dog")
			if i < 0 {
				t.Fatalf("a request failed while the runner went unhealthy: %d %s", a.status, a.body)
			}
			return i == 1
		}, "requests to move to the healthy runner")
		// The worker's health watch takes the runner's slots away, and its
		// orchestrator advertises none: from then on it is not even tried.
		fixture.Eventually(t, 10*time.Second, func() bool {
			st := orchStatus(t, n.orchAdmins[0])
			return strings.Contains(st, `"workers":[{`) && !strings.Contains(st, `"model_id":"test/solid"`)
		}, "the orchestrator to stop advertising the model")
		retries := metric(t, n.gwAdmin+"/metrics", "castmesh_gateway_ai_retries_total")
		for range 3 {
			if i, a := n.generate(t, "a dog"); i != 1 {
				t.Fatalf("runner %d answered (%d %s), want the healthy one", i, a.status, a.body)
			}
		}
		if after := metric(t, n.gwAdmin+"/metrics", "castmesh_gateway_ai_retries_total"); after != retries {
			t.Errorf("the unhealthy runner's orchestrator was still tried (%v retries)", after-retries)
		}
	})

	t.Run("only runner full answers 503 at once", func(t *testing.T) {
		held := make(chan string, 1)
		go func() { held <- n.post(solid("hold")) }()
		fixture.Eventually(t, 30*time.Second, func() bool { return n.runners[1].control(t, http.MethodGet, "held", "") == "1" })
		i, a := n.generate(t, "a bird")
		if i >= 0 {
			t.Fatalf("runner %d answered while the only healthy one was full", i)
		}
		a.failed(t, http.StatusServiceUnavailable, "no_orchestrator")
		specs.conform(t, a, true)
		// The gateway would try for 15 s; with nowhere to go it answers now.
		if a.elapsed > 5*time.Second {
			t.Errorf("503 came after %s", a.elapsed)
		}
		n.runners[1].control(t, http.MethodPut, "release", "")
		if got := <-held; got != "200 OK" {
			t.Errorf("the held request got %s", got)
		}
	})

	t.Run("recovered runner used again", func(t *testing.T) {
		n.runners[0].control(t, http.MethodPut, "health", "OK")
		fixture.Eventually(t, 30*time.Second, func() bool {
			i, _ := n.generate(t, "a fish")
			return i == 0
		}, "the warm runner to be used again")
	})

	t.Run("failing runners end in 503", func(t *testing.T) {
		a := aiJSON(t, n.api+"/text-to-image", solid("crash"))
		e := a.failed(t, http.StatusServiceUnavailable, "no_orchestrator")
		if !strings.Contains(e.Error.Message, "runner failure") {
			t.Errorf("the message %q does not say what failed", e.Error.Message)
		}
	})
}
