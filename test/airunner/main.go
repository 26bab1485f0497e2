// Command airunner is a stand-in for a livepeer/ai-runner container, for
// end-to-end tests of external runners. It is written from the ai-runner
// API document (runner/openapi.yaml v0.14.1) and shares no code with
// castmesh's own runner server, so castmesh's client is checked against an
// independent implementation.
//
// It serves one pipeline, text-to-image, drawing a solid PNG of its
// --color so a test can tell which runner answered, and behaves as
// ai-runner does: GET /health with a settable state, GET /version, a
// bearer token when --token is set (401 with WWW-Authenticate), 422 with
// {"detail":[{loc,msg,type}]} for a missing prompt, 400 with
// {"detail":{"msg"}} for a model it does not serve and for the prompt
// "refuse", 500 for the prompt "crash".
//
// Tests steer it through routes ai-runner does not have: PUT /control/health
// sets the state GET /health reports (OK, LOADING, ERROR) and whether
// requests fail, and GET /control/count reports the requests it answered.
// The prompt "hold" keeps a request waiting until PUT /control/release, so
// a test can fill a runner; GET /control/held reports how many wait; the
// prompt "invalid" gets a 422 as a runner's own validation gives it.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type runner struct {
	model, token string
	fill         color.RGBA
	served       atomic.Int64

	mu      sync.Mutex
	state   string
	held    int
	release chan struct{}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "airunner:", err)
		os.Exit(1) // the one exit: a test's process reports failure by its status
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	model := flag.String("model", "test/solid", "the model id it serves")
	token := flag.String("token", "", "bearer token callers must send")
	hexColor := flag.String("color", "ff0000", "the RGB color of the images it draws")
	ready := flag.String("ready-file", "", "file to write the bound address to once listening")
	flag.Parse()
	var c [3]byte
	if _, err := fmt.Sscanf(*hexColor, "%02x%02x%02x", &c[0], &c[1], &c[2]); err != nil {
		return fmt.Errorf("color: %w", err)
	}
	r := &runner{model: *model, token: *token, fill: color.RGBA{c[0], c[1], c[2], 255}, state: "OK", release: make(chan struct{})}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", *addr)
	if err != nil {
		return err
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(ln.Addr().String()), 0o600); err != nil {
			return err
		}
	}
	srv := &http.Server{Handler: r.routes(), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

func (r *runner) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		defer r.mu.Unlock()
		reply(w, 200, map[string]string{"status": r.state})
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, 200, map[string]string{"pipeline": "text-to-image", "model_id": r.model, "version": "0.14.1"})
	})
	mux.HandleFunc("POST /text-to-image", r.textToImage)
	mux.HandleFunc("POST /text-to-image/", r.textToImage)
	mux.HandleFunc("PUT /control/health", func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.state = strings.TrimSpace(string(b))
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /control/count", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, r.served.Load())
	})
	mux.HandleFunc("GET /control/held", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		defer r.mu.Unlock()
		fmt.Fprint(w, r.held)
	})
	mux.HandleFunc("PUT /control/release", func(w http.ResponseWriter, _ *http.Request) {
		r.mu.Lock()
		close(r.release)
		r.release = make(chan struct{})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	return r.auth(mux)
}

func (r *runner) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.token != "" && !strings.HasPrefix(req.URL.Path, "/control/") && req.Header.Get("Authorization") != "Bearer "+r.token {
			w.Header().Set("WWW-Authenticate", "Bearer")
			reply(w, 401, map[string]any{"detail": map[string]string{"msg": "Invalid bearer token."}})
			return
		}
		next.ServeHTTP(w, req)
	})
}

func (r *runner) textToImage(w http.ResponseWriter, req *http.Request) {
	var p struct {
		Prompt  *string `json:"prompt"`
		ModelID string  `json:"model_id"`
		Width   int     `json:"width"`
		Height  int     `json:"height"`
		Seed    *int64  `json:"seed"`
		N       int     `json:"num_images_per_prompt"`
	}
	p.Width, p.Height, p.N = 1024, 576, 1
	if err := json.NewDecoder(req.Body).Decode(&p); err != nil {
		reply(w, 422, map[string]any{"detail": []map[string]any{{"loc": []any{"body"}, "msg": err.Error(), "type": "json_invalid"}}})
		return
	}
	if p.Prompt != nil && *p.Prompt == "hold" && !r.hold(req.Context()) {
		return
	}
	r.mu.Lock()
	state := r.state
	r.mu.Unlock()
	switch {
	case p.Prompt == nil:
		reply(w, 422, map[string]any{"detail": []map[string]any{{"loc": []any{"body", "prompt"}, "msg": "Field required", "type": "missing"}}})
	case p.ModelID != "" && p.ModelID != r.model:
		reply(w, 400, map[string]any{"detail": map[string]string{"msg": fmt.Sprintf("pipeline configured with %s but called with %s", r.model, p.ModelID)}})
	case *p.Prompt == "invalid":
		reply(w, 422, map[string]any{"detail": []map[string]any{{"loc": []any{"body", "prompt"}, "msg": "Value error, the test runner takes no such prompt", "type": "value_error"}}})
	case *p.Prompt == "refuse":
		reply(w, 400, map[string]any{"detail": map[string]string{"msg": "Prompt refused by the test runner."}})
	case *p.Prompt == "crash" || state != "OK":
		reply(w, 500, map[string]any{"detail": map[string]string{"msg": "runner failure (" + state + ")"}})
	default:
		r.served.Add(1)
		reply(w, 200, map[string]any{"images": r.images(p.Width, p.Height, p.N, p.Seed)})
	}
}

// hold waits for a release; false when the caller left first.
func (r *runner) hold(ctx context.Context) bool {
	r.mu.Lock()
	r.held++
	release := r.release
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.held--
		r.mu.Unlock()
	}()
	select {
	case <-release:
		return true
	case <-ctx.Done():
		return false
	}
}

func (r *runner) images(w, h, n int, seed *int64) []map[string]any {
	img := image.NewRGBA(image.Rect(0, 0, min(w, 256), min(h, 256)))
	for i := range img.Pix {
		img.Pix[i] = [4]uint8{r.fill.R, r.fill.G, r.fill.B, 255}[i%4]
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	var s int64 = 42
	if seed != nil {
		s = *seed
	}
	out := make([]map[string]any, 0, n)
	for i := range n {
		out = append(out, map[string]any{
			"url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), "seed": s + int64(i), "nsfw": false,
		})
	}
	return out
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
