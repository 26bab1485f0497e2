package harness

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"
)

// Part is one rendition of a multipart push response.
type Part struct {
	Name          string
	ContentType   string
	ContentLength string
	Data          []byte
}

// Push PUTs an MPEG-TS segment asking for multipart/mixed, and returns the
// status with the renditions when the answer is multipart, or the body.
func Push(t testing.TB, url string, data []byte, durationMS int) (int, []Part, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "multipart/mixed")
	req.Header.Set("Content-Duration", strconv.Itoa(durationMS))
	req.Header.Set("Content-Type", "video/mp2t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT %s: %v", url, err)
	}
	defer resp.Body.Close()
	mt, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || mt != "multipart/mixed" {
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, nil, body
	}
	var parts []Part
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, Part{
			Name: p.Header.Get("Rendition-Name"), ContentType: p.Header.Get("Content-Type"),
			ContentLength: p.Header.Get("Content-Length"), Data: b,
		})
	}
	return resp.StatusCode, parts, nil
}
