package transcode_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/worker/transcode"
)

var smallLadder = []media.Profile{{Name: "180p", Width: 320, Height: 180, Bitrate: 200_000}}

func TestInputErrors(t *testing.T) {
	e := newEnv(t, nil)
	good := segment(t, clip180)
	mpeg2 := segment(t, fixture.ClipSpec{
		Width: 320, Height: 180, FPS: 25, Duration: 2 * time.Second, GOP: time.Second,
		Format: "mpegts", VideoCodec: "mpeg2video",
	})
	tests := []struct {
		name     string
		input    []byte
		profiles []media.Profile
		is       error
	}{
		{"garbage", []byte("this is not a transport stream at all"), smallLadder, media.ErrNotTS},
		{"truncated", good[:188*40+17], smallLadder, media.ErrTruncated},
		{"empty", nil, smallLadder, media.ErrNotTS},
		{"mpeg-2 video", mpeg2, smallLadder, nil},
		{"no profiles", good, nil, media.ErrNoProfiles},
		{"bad profile", good, []media.Profile{{Name: "x", Width: 3, Height: 3, Bitrate: 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.transcode(t, tt.input, tt.profiles)
			var ie *transcode.InputError
			if !transcode.IsInputError(err) || !errors.As(err, &ie) {
				t.Fatalf("got %v, want an input error", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
		})
	}
	if got := e.metric(t, "castmesh_worker_transcode_jobs_total", "input_error"); got != float64(len(tests)) {
		t.Errorf("input_error jobs %v, want %d", got, len(tests))
	}
}

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ffmpeg")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRetryableErrors(t *testing.T) {
	input := segment(t, clip180)
	tests := []struct {
		name   string
		ffmpeg string
	}{
		{"ffmpeg fails", script(t, "echo 'Segmentation fault in the encoder' >&2\nexit 1\n")},
		{"ffmpeg missing", filepath.Join(t.TempDir(), "no-such-ffmpeg")},
		{"no output", script(t, "exit 0\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *transcode.Config) { c.FFmpeg = tt.ffmpeg })
			_, err := e.transcode(t, input, smallLadder)
			var fe *transcode.FFmpegError
			if err == nil || transcode.IsInputError(err) || !errors.As(err, &fe) {
				t.Fatalf("got %v, want a retryable ffmpeg error", err)
			}
			if got := e.metric(t, "castmesh_worker_transcode_jobs_total", "failed"); got != 1 {
				t.Errorf("failed jobs %v", got)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	input := segment(t, clip180)
	e := newEnv(t, func(c *transcode.Config) {
		c.FFmpeg = script(t, "exec sleep 30\n")
		c.Timeout = time.Second
	})
	start := time.Now()
	_, err := e.transcode(t, input, smallLadder)
	if !errors.Is(err, context.DeadlineExceeded) || transcode.IsInputError(err) {
		t.Fatalf("got %v, want a retryable timeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

// undecodable garbles every video slice of a TS segment, keeping the
// packet structure and the SPS/PPS, so the segment passes ProbeTS but no
// frame decodes (ISO/IEC 13818-1 §2.4.3.2 packet layout).
func undecodable(seg []byte) []byte {
	b := append([]byte{}, seg...)
	rnd := uint32(1)
	for off := 0; off+188 <= len(b); off += 188 {
		pid := int(b[off+1]&0x1f)<<8 | int(b[off+2])
		if pid != 0x100 {
			continue
		}
		start := off + 4
		if b[off+3]&0x20 != 0 { // adaptation field
			start += 1 + int(b[off+4])
		}
		if b[off+1]&0x40 != 0 { // a PES starts here: keep up to the PPS
			pps := bytes.Index(b[start:off+188], []byte{0, 0, 1, 0x68})
			if pps < 0 {
				continue
			}
			start += pps + 10
		}
		for i := start; i < off+188; i++ {
			rnd = rnd*1664525 + 1013904223
			b[i] = byte(rnd >> 24)
		}
	}
	return b
}

// TestUndecodableInput feeds a segment ProbeTS accepts but whose video
// ffmpeg cannot decode at all: the job must fail as an input error.
func TestUndecodableInput(t *testing.T) {
	e := newEnv(t, nil)
	input := undecodable(segment(t, clip180))
	if _, err := media.ProbeTS(input); err != nil {
		t.Fatalf("ProbeTS rejects the garbled segment (%v); the test needs one it accepts", err)
	}
	_, err := e.transcode(t, input, smallLadder)
	if !transcode.IsInputError(err) {
		t.Fatalf("got %v, want an input error", err)
	}
	t.Log(err)
}
