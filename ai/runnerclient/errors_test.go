package runnerclient

import (
	"errors"
	"strings"
	"testing"

	"github.com/castmesh/castmesh/ai/pipeline"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		status int
		body   string
		msg    string
		input  bool
		media  bool
	}{
		{400, `{"detail":{"msg":"Prompt must be provided."}}`, "Prompt must be provided.", true, false},
		{422, `{"detail":[{"loc":["body","prompt"],"msg":"Field required","type":"missing"}]}`, "body.prompt: Field required", true, false},
		{415, `{"detail":{"msg":"bad audio"}}`, "bad audio", true, true},
		{413, `{"detail":"File size exceeds limit"}`, "File size exceeds limit", true, false},
		{500, `{"detail":{"msg":"GPU out of memory."}}`, "GPU out of memory.", false, false},
		{503, `upstream down`, "upstream down", false, false},
		{401, ``, "Unauthorized", false, false},
	}
	for _, tt := range tests {
		e := DecodeError(tt.status, []byte(tt.body))
		if e.Status != tt.status || e.Msg != tt.msg {
			t.Errorf("%d %s: %+v", tt.status, tt.body, e)
		}
		if pipeline.IsInputError(e) != tt.input || errors.Is(e, pipeline.ErrUnsupportedMedia) != tt.media {
			t.Errorf("%d: classified input=%v", tt.status, pipeline.IsInputError(e))
		}
	}
	if e := DecodeError(500, []byte(strings.Repeat("x", 5000))); len(e.Msg) > 1100 {
		t.Errorf("message not bounded: %d bytes", len(e.Msg))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{URL: "ftp://x", Timeout: 1}, {URL: "http://", Timeout: 1}, {URL: "http://x:1"}} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, []byte(`{"detail":{"msg":"x"}}`))
	f.Add(422, []byte(`{"detail":[{"loc":["body",1],"msg":"m","type":"t"}]}`))
	f.Add(500, []byte(`{"detail":"x","error":{}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := DecodeError(status, body)
		if e == nil || e.Status != status || len(e.Msg) > 1100 {
			t.Fatalf("%d %q: %+v", status, body, e)
		}
	})
}
