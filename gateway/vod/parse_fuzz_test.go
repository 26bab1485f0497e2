package vod

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// Issue #12 fuzzing: the list cursor is a caller's string. Any string
// parses or is refused without panicking; what parses makes the same
// cursor again, and every cursor the API makes parses back.
func FuzzParseCursor(f *testing.F) {
	f.Add(makeCursor(1_700_000_000_000, "job_0123456789abcdef"))
	f.Add("")
	f.Add("LTEvag")                         // "-1/j"
	f.Add("OTk5OTk5OTk5OTk5OTk5OTk5OTk5Lw") // an overflowing time, no id
	f.Fuzz(func(t *testing.T, s string) {
		ms, id, err := parseCursor(s)
		if err == nil {
			if id == "" {
				t.Fatalf("%q parsed with no id", s)
			}
			if ms2, id2, err := parseCursor(makeCursor(ms, id)); err != nil || ms2 != ms || id2 != id {
				t.Fatalf("%q: (%d, %q) made again reads (%d, %q, %v)", s, ms, id, ms2, id2, err)
			}
		}
		if id := s; id != "" {
			if ms2, id2, err := parseCursor(makeCursor(int64(len(s)), id)); err != nil || ms2 != int64(len(s)) || id2 != id {
				t.Fatalf("the cursor of (%d, %q) reads (%d, %q, %v)", len(s), id, ms2, id2, err)
			}
		}
	})
}

// Issue #12 fuzzing: the quality summary is read from ffmpeg's log, which
// quotes the input's metadata: any log is read or refused without
// panicking, and what is read is a number, not NaN or negative.
func FuzzParseQuality(f *testing.F) {
	f.Add("[Parsed_ssim_4 @ 0x1] SSIM Y:0.98 U:0.99 V:0.99 All:0.985 (18.2)\n[Parsed_psnr_5 @ 0x2] PSNR y:40.1 u:44 v:44 average:41.5 min:38 max:inf\n")
	f.Add("SSIM All:1.000000 PSNR average:inf")
	f.Add("SSIM All:1.2.3 PSNR average:.")
	f.Fuzz(func(t *testing.T, log string) {
		ssim, psnr, err := parseQuality(log)
		if err != nil {
			return
		}
		for _, v := range []float64{ssim, psnr} {
			if math.IsNaN(v) || v < 0 {
				t.Fatalf("%q read as SSIM %v, PSNR %v", log, ssim, psnr)
			}
		}
	})
}

// Issue #12 fuzzing: a job request is a caller's JSON. Whatever it holds,
// validate accepts or refuses it without panicking, and a request it
// accepted, written out and read again, is accepted as the same request.
func FuzzJobRequest(f *testing.F) {
	f.Add(`{"source":{"type":"upload","upload_id":"upl_1"},"profile":"h264-fast","output":{"container":"hls","target_height":720}}`)
	f.Add(`{"source":{"type":"url","url":"https://example.com/a.mp4"},"output":{"codec":"av1","bit_depth":10,"audio":false},"metadata":{"a":[1,{"b":null}]}}`)
	f.Add(`{"source":{"type":"upload"},"profile":"nope","webhook_ids":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		var req JobRequest
		if json.Unmarshal([]byte(body), &req) != nil {
			return
		}
		if req.validate() != nil {
			return
		}
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("an accepted request does not marshal: %v", err)
		}
		var again JobRequest
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("%s does not read back: %v", b, err)
		}
		if err := again.validate(); err != nil {
			t.Fatalf("%s, accepted once, is refused: %v", b, err)
		}
		b2, _ := json.Marshal(again)
		if !reflect.DeepEqual(b, b2) {
			t.Fatalf("validate changed an accepted request: %s, then %s", b, b2)
		}
	})
}
