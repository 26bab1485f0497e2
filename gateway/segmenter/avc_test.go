package segmenter

import (
	"encoding/hex"
	"errors"
	"testing"
)

// x264Config is the AVCDecoderConfigurationRecord ffmpeg's FLV muxer wrote
// for a 64x64 High-profile libx264 clip (with the High-profile extension).
const x264Config = "0164000affe100186764000aacd94426c044000003000400000300f03c48965801000468ef8fcbfdf8f800"

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseDecoderConfig(t *testing.T) {
	good := mustHex(t, x264Config)
	conf, err := parseDecoderConfig(good)
	if err != nil {
		t.Fatal(err)
	}
	if conf.lengthSize != 4 || len(conf.params.sps) != 1 || len(conf.params.pps) != 1 ||
		len(conf.params.sps[0]) != 24 || len(conf.params.pps[0]) != 4 {
		t.Fatalf("parsed %+v", conf)
	}
	with := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short", good[:6]},
		{"version 0", with(0, 0)},
		{"length size 3", with(4, 0xfe)},
		{"no sps", with(5, 0xe0)},
		{"sps past the end", good[:20]},
		{"sps of zero bytes", with(7, 0)},
		{"not an sps", with(8, 0x68)},
		{"no pps count", good[:32]},
		{"no pps", with(32, 0)},
		{"pps past the end", good[:36]},
		{"sps that does not parse", with(9, 0xff)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseDecoderConfig(tt.in); !errors.Is(err, ErrBadDecoderConfig) {
				t.Fatalf("got %v, want ErrBadDecoderConfig", err)
			}
		})
	}
}

func TestSplitAVCC(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		lengthSize int
		want       []string
		wantErr    bool
	}{
		{"two units", "00000002 6588 00000003 41aabb", 4, []string{"6588", "41aabb"}, false},
		{"two-byte lengths", "0002 6588 0001 09", 2, []string{"6588", "09"}, false},
		{"one-byte lengths", "02 6588", 1, []string{"6588"}, false},
		{"zero length skipped", "00000000 00000001 09", 4, []string{"09"}, false},
		{"empty", "", 4, nil, false},
		{"length past the end", "00000005 6588", 4, nil, true},
		{"short length", "0000", 4, nil, true},
		{"forbidden bit", "00000002 e588", 4, nil, true},
		{"trailing zero", "00000002 6500", 4, nil, true},
		{"start code inside", "00000005 6500000188", 4, nil, true},
		{"escaped zeros", "00000005 6500000388", 4, []string{"6500000388"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := mustHex(t, stripSpaces(tt.in))
			got, err := splitAVCC(nil, in, tt.lengthSize)
			if tt.wantErr {
				if !errors.Is(err, ErrBadAVCC) {
					t.Fatalf("got %v, want ErrBadAVCC", err)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %x, %v", got, err)
			}
			for i := range got {
				if hex.EncodeToString(got[i]) != tt.want[i] {
					t.Fatalf("unit %d = %x, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := range len(s) {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func FuzzParseDecoderConfig(f *testing.F) {
	f.Add(mustHex(f, x264Config))
	f.Add([]byte{1, 0x64, 0, 0x0a, 0xff, 0xe1, 0, 1, 0x67, 1, 0, 1, 0x68})
	f.Fuzz(func(t *testing.T, b []byte) {
		conf, err := parseDecoderConfig(b)
		if err != nil {
			if !errors.Is(err, ErrBadDecoderConfig) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(conf.params.sps) == 0 || len(conf.params.pps) == 0 || conf.lengthSize == 3 {
			t.Fatalf("accepted %+v", conf)
		}
		if checkSPS(conf.params.sps[0]) != nil {
			t.Fatal("accepted an SPS that does not parse")
		}
	})
}

func FuzzSplitAVCC(f *testing.F) {
	f.Add(mustHex(f, "000000026588000000030141aa"), 4)
	f.Add(mustHex(f, "000265880001"), 2)
	f.Add([]byte{1, 9}, 1)
	f.Fuzz(func(t *testing.T, b []byte, lengthSize int) {
		lengthSize = []int{1, 2, 4}[uint(lengthSize)%3]
		nalus, err := splitAVCC(nil, b, lengthSize)
		if err != nil {
			if !errors.Is(err, ErrBadAVCC) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		total := 0
		for _, n := range nalus {
			if len(n) == 0 || checkNALU(n) != nil {
				t.Fatalf("returned a bad NAL unit %x", n)
			}
			total += lengthSize + len(n)
		}
		if total > len(b) {
			t.Fatalf("%d bytes of units from %d of input", total, len(b))
		}
	})
}
