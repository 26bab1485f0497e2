package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/png" // the answers' images
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/pipeline/pipelinetest"
	"github.com/castmesh/castmesh/test/fixture"
)

// aiAnswer is one AI request and what came back.
type aiAnswer struct {
	req     *http.Request
	status  int
	header  http.Header
	body    []byte
	elapsed time.Duration
}

// aiPost sends body to the gateway's AI path and reads the whole answer.
func aiPost(t *testing.T, url, contentType string, body []byte, header ...string) aiAnswer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: reading the answer: %v", url, err)
	}
	return aiAnswer{req: req, status: resp.StatusCode, header: resp.Header, body: b, elapsed: time.Since(start)}
}

// withModelID adds an empty model_id (any model) where a request names
// none: Livepeer's document requires the field on every pipeline but llm,
// and its SDKs always send it.
func withModelID(url string, v any) any {
	if strings.Contains(url, "/llm") || strings.Contains(url, "/result") {
		return v
	}
	switch m := v.(type) {
	case map[string]any:
		if _, ok := m["model_id"]; !ok {
			m["model_id"] = ""
		}
	case map[string]string:
		if _, ok := m["model_id"]; !ok {
			m["model_id"] = ""
		}
	}
	return v
}

func aiJSON(t *testing.T, url string, v any, header ...string) aiAnswer {
	t.Helper()
	b, err := json.Marshal(withModelID(url, v))
	if err != nil {
		t.Fatal(err)
	}
	return aiPost(t, url, "application/json", b, header...)
}

func aiForm(t *testing.T, url string, fields map[string]string, parts ...pipelinetest.Part) aiAnswer {
	t.Helper()
	if fields == nil {
		fields = map[string]string{}
	}
	ct, body := pipelinetest.Form(t, withModelID(url, fields).(map[string]string), parts...)
	return aiPost(t, url, ct, body)
}

// ok fails the test unless the answer is 200, and decodes it into v.
func (a aiAnswer) ok(t *testing.T, v any) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", a.req.Method, a.req.URL.Path, a.status, a.body)
	}
	if v != nil {
		if err := json.Unmarshal(a.body, v); err != nil {
			t.Fatalf("%s: %v in %s", a.req.URL.Path, err, a.body)
		}
	}
}

// aiError is the gateway's error body: castmesh's and Livepeer's shapes.
type aiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Detail struct {
		Msg string `json:"msg"`
	} `json:"detail"`
}

// failed checks the answer is the error wanted and returns it.
func (a aiAnswer) failed(t *testing.T, status int, code string) aiError {
	t.Helper()
	var e aiError
	if a.status != status || json.Unmarshal(a.body, &e) != nil || e.Error.Code != code || e.Error.Message == "" || e.Detail.Msg != e.Error.Message {
		t.Fatalf("%s: got %d %s, want %d with error code %s", a.req.URL.Path, a.status, a.body, status, code)
	}
	return e
}

// aiSpecs are the documents answers must conform to: castmesh's own and
// the Livepeer gateway's published one.
type aiSpecs struct {
	ours, livepeer *openapi3.T
}

var (
	specsOnce sync.Once
	specs     aiSpecs
	errSpecs  error
)

func loadSpecs(t *testing.T) aiSpecs {
	t.Helper()
	specsOnce.Do(func() {
		// Streamed llm answers are text; validated as a string.
		openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.PlainBodyDecoder)
		specs.ours, errSpecs = openapi.Load(t.Context(), openapi.Document())
		if errSpecs != nil {
			return
		}
		var b []byte
		b, errSpecs = os.ReadFile(filepath.Join(fixture.RepoRoot(t), "..", "shared", "reference", "livepeer-ai-gateway.openapi.yaml"))
		if errSpecs == nil {
			specs.livepeer, errSpecs = openapi.Load(t.Context(), b)
		}
	})
	if errSpecs != nil {
		t.Fatal(errSpecs)
	}
	return specs
}

// conform validates the answer against castmesh's document and, unless
// ours only is set, the Livepeer gateway's.
func (s aiSpecs) conform(t *testing.T, a aiAnswer, oursOnly bool) {
	t.Helper()
	docs := map[string]*openapi3.T{"castmesh": s.ours}
	if !oursOnly {
		docs["livepeer"] = s.livepeer
	}
	for name, doc := range docs {
		if err := validateAnswer(t, doc, a); err != nil {
			t.Errorf("%s %d answer does not conform to the %s document: %v\n%.400s", a.req.URL.Path, a.status, name, err, a.body)
		}
	}
}

func validateAnswer(t *testing.T, doc *openapi3.T, a aiAnswer) error {
	item := doc.Paths.Find(a.req.URL.Path)
	if item == nil || item.Post == nil {
		t.Fatalf("%s is not in the document", a.req.URL.Path)
	}
	route := &routers.Route{Spec: doc, Path: a.req.URL.Path, PathItem: item, Method: http.MethodPost, Operation: item.Post}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: a.req, Route: route},
		Status:                 a.status,
		Header:                 a.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(a.body)
	return openapi3filter.ValidateResponse(t.Context(), in)
}

// fetchMedia reads a result the answer points at: a data URL, or a URL the
// gateway serves.
func fetchMedia(t *testing.T, url string) (string, []byte) {
	t.Helper()
	if strings.HasPrefix(url, "data:") {
		mt, data, err := pipeline.ParseDataURL(url)
		if err != nil {
			t.Fatalf("data URL: %v", err)
		}
		return mt, data
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return resp.Header.Get("Content-Type"), b
}

// imageSize decodes an image's header.
func imageSize(t *testing.T, data []byte) (int, int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	return cfg.Width, cfg.Height
}

// mediaFacts is what ffprobe says of a file's first stream.
type mediaFacts struct {
	codec         string
	width, height int
	frames        int // by decoding
	duration      float64
}

// probeMedia asks ffprobe about a file's first stream.
func probeMedia(t *testing.T, data []byte) mediaFacts {
	t.Helper()
	f := filepath.Join(t.TempDir(), "media")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), "ffprobe", "-v", "error", "-count_frames", "-select_streams", "0",
		"-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "default=nw=1", f).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var m mediaFacts
	for line := range strings.SplitSeq(string(out), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "codec_name":
			m.codec = v
		case "width":
			m.width, _ = strconv.Atoi(v)
		case "height":
			m.height, _ = strconv.Atoi(v)
		case "nb_read_frames":
			m.frames, _ = strconv.Atoi(v)
		case "duration":
			m.duration, _ = strconv.ParseFloat(v, 64)
		}
	}
	return m
}

// renderText draws text black on white with ffmpeg, as a PNG.
func renderText(t *testing.T, text string) []byte {
	t.Helper()
	f := filepath.Join(t.TempDir(), "text.png")
	font := "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(font); err != nil {
		t.Fatalf("%s: %v (the setup script installs fonts-dejavu-core)", font, err)
	}
	_, err := runFFmpeg(t, time.Minute, "-f", "lavfi", "-i", "color=white:s=900x160", "-frames:v", "1",
		"-vf", "drawtext=fontfile="+font+":text='"+text+"':fontsize=56:fontcolor=black:x=30:y=50", f)
	if err != nil {
		t.Fatalf("rendering text: %v", err)
	}
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
