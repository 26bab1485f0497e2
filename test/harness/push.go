package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
	code, parts, body, err := TryPush(t.Context(), url, data, durationMS)
	if err != nil {
		t.Fatal(err)
	}
	return code, parts, body
}

// TryPush is Push for goroutines other than the test's: it returns the
// error instead of failing the test.
func TryPush(ctx context.Context, url string, data []byte, durationMS int) (int, []Part, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Accept", "multipart/mixed")
	req.Header.Set("Content-Duration", strconv.Itoa(durationMS))
	req.Header.Set("Content-Type", "video/mp2t")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("PUT %s: %w", url, err)
	}
	defer resp.Body.Close()
	mt, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || mt != "multipart/mixed" {
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, nil, body, err
	}
	var parts []Part
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, nil, nil, fmt.Errorf("PUT %s: %w", url, err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return 0, nil, nil, fmt.Errorf("PUT %s: %w", url, err)
		}
		parts = append(parts, Part{
			Name: p.Header.Get("Rendition-Name"), ContentType: p.Header.Get("Content-Type"),
			ContentLength: p.Header.Get("Content-Length"), Data: b,
		})
	}
	return resp.StatusCode, parts, nil, nil
}
