package httppush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/pkg/media"
)

var multipartAccept = http.Header{"Accept": {"multipart/mixed"}}

// part is one rendition read back from a multipart response.
type part struct {
	header map[string]string
	body   []byte
}

func readParts(t *testing.T, r response) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type %q: %v", r.header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
	var parts []part
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		h := map[string]string{}
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition", "Rendition-Name"} {
			h[k] = p.Header.Get(k)
		}
		parts = append(parts, part{header: h, body: body})
	}
}

// checkLadder checks a multipart answer for segment seq of data.
func checkLadder(t *testing.T, r response, seq int, data []byte) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("seq %d: status %d %s", seq, r.status, r.body)
	}
	parts := readParts(t, r)
	want := ladderOf(media.Segment{Data: data}, false)
	if len(parts) != len(want) {
		t.Fatalf("seq %d: %d parts, want %d", seq, len(parts), len(want))
	}
	for i, p := range parts {
		name := want[i].Profile.Name
		wantHeader := map[string]string{
			"Content-Type":        "video/mp2t",
			"Content-Length":      strconv.Itoa(len(want[i].Data)),
			"Content-Disposition": fmt.Sprintf(`attachment; filename="%s_%d.ts"`, name, seq),
			"Rendition-Name":      name,
		}
		for k, v := range wantHeader {
			if p.header[k] != v {
				t.Fatalf("seq %d part %d: %s = %q, want %q", seq, i, k, p.header[k], v)
			}
		}
		if !bytes.Equal(p.body, want[i].Data) {
			t.Fatalf("seq %d part %d: body differs", seq, i)
		}
	}
}

// TestPushInOrder pushes ten real segments and reads every rendition back.
func TestPushInOrder(t *testing.T) {
	segs := goodSegments(t)
	rec := newRecorder("good")
	url, _ := newTestServer(t, DefaultConfig(), rec.opener())
	for i, data := range segs {
		method := []string{http.MethodPut, http.MethodPost}[i%2]
		hdr := multipartAccept.Clone()
		hdr.Set("Content-Duration", "2000")
		hdr.Set("Content-Resolution", "640x360")
		r, err := send(t.Context(), method, fmt.Sprintf("%s/live/good/%d.ts", url, i), data, hdr)
		if err != nil {
			t.Fatal(err)
		}
		checkLadder(t, r, i, data)
		if r.header.Get(headerPlaybackID) != "pb-good" || r.header.Get(headerStreamID) != "id-good" {
			t.Fatalf("stream headers %v", r.header)
		}
	}
	got := rec.segments["id-good"]
	if len(got) != len(segs) {
		t.Fatalf("%d segments transcoded, want %d", len(got), len(segs))
	}
	for i, s := range got {
		info := probe(t, segs[i])
		if s.Seq != int64(i) || s.Duration.Milliseconds() != 2000 || s.StartPTS != info.Video.FirstPTS || !bytes.Equal(s.Data, segs[i]) {
			t.Fatalf("segment %d reached the stream as seq %d duration %v pts %d", i, s.Seq, s.Duration, s.StartPTS)
		}
	}
	for _, o := range rec.opened() {
		if o.Key != "good" || o.Protocol != ingest.HTTPPush || o.RemoteAddr == "" {
			t.Fatalf("open request %+v", o)
		}
	}
}

func TestPushJSON(t *testing.T) {
	segs := goodSegments(t)
	rec := newRecorder("k")
	url, _ := newTestServer(t, DefaultConfig(), rec.opener())
	r, err := send(t.Context(), http.MethodPost, url+"/live/k/7.ts", segs[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	var got summary
	if r.status != http.StatusOK || json.Unmarshal(r.body, &got) != nil {
		t.Fatalf("status %d body %s", r.status, r.body)
	}
	if got.StreamID != "id-k" || got.PlaybackID != "pb-k" || got.Seq != 7 || len(got.Renditions) != 3 {
		t.Fatalf("summary %+v", got)
	}
	want := renditionSummary{Name: "720p", Width: 1280, Height: 720, Frames: 60, Size: len(segs[0])}
	if got.Renditions[0] != want {
		t.Fatalf("rendition %+v, want %+v", got.Renditions[0], want)
	}
	if rec.segments["id-k"][0].Duration.Milliseconds() != DefaultConfig().DefaultDuration.Milliseconds() {
		t.Fatal("no Content-Duration: the default duration was not used")
	}
}

// TestPushFMP4Part: an fMP4 rendition comes back as one video/mp4 part,
// init section first.
func TestPushFMP4Part(t *testing.T) {
	seg := goodSegments(t)[0]
	st := &fakeStream{id: "s", playbackID: "p", done: make(chan struct{})}
	st.transcode = func(_ context.Context, s media.Segment) ([]media.Rendition, error) { return ladderOf(s, true), nil }
	opener := &fakeOpener{open: func(context.Context, ingest.OpenRequest) (ingest.Stream, error) { return st, nil }}
	url, _ := newTestServer(t, DefaultConfig(), opener)
	r, err := send(t.Context(), http.MethodPut, url+"/live/f/3.ts", seg, multipartAccept)
	if err != nil {
		t.Fatal(err)
	}
	parts := readParts(t, r)
	p := parts[2]
	if p.header["Content-Type"] != "video/mp4" || p.header["Content-Disposition"] != `attachment; filename="360p_3.mp4"` ||
		string(p.body) != "ftypmoovmoofmdat" || p.header["Content-Length"] != "16" {
		t.Fatalf("fMP4 part %v %q", p.header, p.body)
	}
	if names := []string{parts[0].header["Rendition-Name"], parts[1].header["Rendition-Name"]}; !slices.Equal(names, []string{"720p", "480p"}) {
		t.Fatalf("names %v", names)
	}
}
