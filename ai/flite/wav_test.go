package flite

import (
	"encoding/binary"
	"testing"
	"time"
)

// makeWAV is a PCM WAV header and samples bytes of silence, with a LIST
// chunk before "data" as ffmpeg writes one.
func makeWAV(rate, channels, bits, samples int) []byte {
	le := binary.LittleEndian
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00")
	b = le.AppendUint16(b, 1)
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*channels*bits/8))
	b = le.AppendUint16(b, uint16(channels*bits/8))
	b = le.AppendUint16(b, uint16(bits))
	b = append(b, "LIST\x03\x00\x00\x00abc\x00"...)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(samples))
	b = append(b, make([]byte, samples)...)
	le.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

func TestParseWAV(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want wavInfo
		ok   bool
	}{
		{"16 kHz mono", makeWAV(16000, 1, 16, 32000), wavInfo{16000, 1, 16, 32000}, true},
		{"truncated data", makeWAV(22050, 1, 16, 100)[:60], wavInfo{22050, 1, 16, 4}, true},
		{"not riff", []byte("RIFX\x00\x00\x00\x00WAVE"), wavInfo{}, false},
		{"no data", makeWAV(16000, 1, 16, 0)[:36], wavInfo{}, false},
		{"float", func() []byte { b := makeWAV(16000, 1, 32, 4); b[20] = 3; return b }(), wavInfo{}, false},
		{"empty", nil, wavInfo{}, false},
		{"absurd rate", makeWAV(1<<31, 1, 16, 4), wavInfo{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWAV(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("parseWAV = %+v, %v; want %+v, ok %v", got, err, tt.want, tt.ok)
			}
		})
	}
	if d := (wavInfo{16000, 1, 16, 32000}).duration(); d != time.Second {
		t.Errorf("duration %s", d)
	}
}

// FuzzParseWAV checks that any file parses without panicking and that what
// it reports is playable and within the file.
func FuzzParseWAV(f *testing.F) {
	f.Add(makeWAV(16000, 1, 16, 64))
	f.Add(makeWAV(8000, 2, 8, 3))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := parseWAV(b)
		if err != nil {
			return
		}
		if w.rate <= 0 || w.channels <= 0 || w.bits <= 0 || w.dataBytes < 0 || w.dataBytes > len(b) {
			t.Fatalf("parseWAV = %+v for %d bytes", w, len(b))
		}
		_ = w.duration()
	})
}
