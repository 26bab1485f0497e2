package media_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/av1"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// fragmentArgs make ffmpeg keep the source time in tfdt: -copyts keeps the
// timestamps, avoid_negative_ts disabled stops the muxer shifting them to
// zero, and frag_discont makes the first tfdt the first sample's DTS;
// delay_moov waits for the first packet so the AAC esds carries its
// AudioSpecificConfig (copied ADTS audio has none before that).
func fragmentArgs(in, out string, codec ...string) []string {
	args := []string{"-hide_banner", "-loglevel", "error", "-y", "-copyts", "-i", in}
	args = append(args, codec...)
	return append(args, "-muxdelay", "0", "-avoid_negative_ts", "disabled", "-video_track_timescale", "90000",
		"-f", "mp4", "-movflags", "frag_keyframe+empty_moov+delay_moov+default_base_moof+frag_discont+skip_trailer", out)
}

// fragment encodes a TS segment into fragmented MP4 with ffmpeg.
func fragment(t *testing.T, in string, codec ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.mp4")
	cmd := exec.CommandContext(t.Context(), "ffmpeg", fragmentArgs(in, out, codec...)...)
	cmd.Env = append(os.Environ(), "SVT_LOG=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProbeFMP4(t *testing.T) {
	seg := fixture.Segments(t, smallClip, smallClip.GOP)[1]
	src, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	srcInfo, err := media.ProbeTS(src)
	if err != nil {
		t.Fatal(err)
	}
	audio := []string{"-map", "0:a", "-c:a", "copy", "-bsf:a", "aac_adtstoasc"}
	tests := []struct {
		name   string
		codec  []string
		want   media.VideoCodec
		codecs string
		// reorder is how many frames late the first PTS may be: for
		// B-frame streams ffmpeg's movenc writes the first PTS as tfdt and
		// still adds the composition offsets (ISO/IEC 14496-12 §8.8.12).
		reorder int64
	}{
		{"h264 copy", []string{"-map", "0:v", "-c:v", "copy"}, media.H264, "avc1.64000d,mp4a.40.2", 2},
		{"vp9", []string{"-map", "0:v", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", "-g", "60"}, media.VP9, "vp09.00.11.08,mp4a.40.2", 0},
		{"vp9 in four fragments", []string{"-map", "0:v", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", "-g", "15"}, media.VP9, "vp09.00.11.08,mp4a.40.2", 0},
		{"av1", []string{"-map", "0:v", "-c:v", "libsvtav1", "-preset", "12", "-b:v", "300k", "-g", "60"}, media.AV1, "av01.0.00M.08,mp4a.40.2", 0},
		{"hevc", []string{"-map", "0:v", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1"}, media.HEVC, "hvc1.1.6.L60.B0,mp4a.40.2", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := fragment(t, seg, append(tt.codec, audio...)...)
			init, data, err := media.SplitFMP4(file)
			if err != nil {
				t.Fatal(err)
			}
			info, err := media.ProbeFMP4(init, data)
			if err != nil {
				t.Fatal(err)
			}
			checkFMP4Info(t, info, srcInfo, tt.want, tt.codecs, tt.reorder)
		})
	}
}

func checkFMP4Info(t *testing.T, info media.FMP4Info, src media.TSInfo, codec media.VideoCodec, codecs string, reorder int64) {
	t.Helper()
	v := info.Video
	if v.Codec != codec || v.Width != 320 || v.Height != 180 || v.Frames != src.Video.Frames || !v.StartsWithIDR {
		t.Fatalf("video %+v", v)
	}
	if got := info.Codecs(); got != codecs {
		t.Errorf("codecs %q, want %q", got, codecs)
	}
	frame := int64(media.TimeBase / 30)
	if d := v.FirstPTS - src.Video.FirstPTS; d < -frame || d > (1+reorder)*frame {
		t.Errorf("first PTS %d, source %d: the source time was not kept", v.FirstPTS, src.Video.FirstPTS)
	}
	if d := info.FirstDecodeTime - src.Video.FirstPTS; d < -frame || d > frame {
		t.Errorf("first decode time %d, source PTS %d", info.FirstDecodeTime, src.Video.FirstPTS)
	}
	if info.Duration < 1900*time.Millisecond || info.Duration > 2100*time.Millisecond {
		t.Errorf("duration %v", info.Duration)
	}
	if info.Audio == nil || info.Audio.Frames == 0 || info.Audio.FirstPTS <= 0 {
		t.Errorf("audio %+v", info.Audio)
	}
}

// mp4Box builds one box: a 32-bit size, the type and the payload.
func mp4Box(typ string, payload ...byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	return append(append(b, typ...), payload...)
}

func TestSplitFMP4(t *testing.T) {
	ftyp, moov, moof, mdat := mp4Box("ftyp", 'i', 's', 'o', '6'), mp4Box("moov"), mp4Box("moof"), mp4Box("mdat", 1, 2, 3)
	mfra := mp4Box("mfra")
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	big := append(binary.BigEndian.AppendUint32(nil, 1), "mdat"...)
	big = binary.BigEndian.AppendUint64(big, 17)
	big = append(big, 9)
	tests := []struct {
		name       string
		in         []byte
		init, data []byte
	}{
		{"segment", join(ftyp, moov, moof, mdat), join(ftyp, moov), join(moof, mdat)},
		{"mfra dropped", join(ftyp, moov, moof, mdat, mfra), join(ftyp, moov), join(moof, mdat)},
		{"64-bit size", join(ftyp, moov, moof, big), join(ftyp, moov), join(moof, big)},
		{"size zero runs to the end", join(ftyp, moov, moof, []byte{0, 0, 0, 0, 'm', 'd', 'a', 't', 5}), join(ftyp, moov), join(moof, []byte{0, 0, 0, 0, 'm', 'd', 'a', 't', 5})},
		{"empty", nil, nil, nil},
		{"text", []byte("this is not an mp4 file"), nil, nil},
		{"no ftyp", join(moov, moof, mdat), nil, nil},
		{"no moov", join(ftyp, moof, mdat), nil, nil},
		{"no moof", join(ftyp, moov, mdat), nil, nil},
		{"size past the end", join(ftyp, moov, moof, mdat[:len(mdat)-1]), nil, nil},
		{"size below header", join(ftyp, moov, []byte{0, 0, 0, 4, 'm', 'o', 'o', 'f'}), nil, nil},
		{"stray bytes", join(ftyp, moov, moof, mdat, []byte{0, 0}), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			init, data, err := media.SplitFMP4(tt.in)
			if tt.init == nil {
				if !errors.Is(err, media.ErrNotMP4) {
					t.Fatalf("got %v, want ErrNotMP4", err)
				}
				return
			}
			if err != nil || !bytes.Equal(init, tt.init) || !bytes.Equal(data, tt.data) {
				t.Fatalf("init %x data %x err %v", init, data, err)
			}
		})
	}
}

func TestProbeFMP4Rejects(t *testing.T) {
	seg := fixture.Segments(t, smallClip, smallClip.GOP)[0]
	file := fragment(t, seg, "-map", "0:v", "-map", "0:a", "-c", "copy", "-bsf:a", "aac_adtstoasc")
	init, data, err := media.SplitFMP4(file)
	if err != nil {
		t.Fatal(err)
	}
	audioOnly := fragment(t, seg, "-map", "0:a", "-c", "copy", "-bsf:a", "aac_adtstoasc")
	aInit, aData, err := media.SplitFMP4(audioOnly)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		init, data []byte
		want       error
	}{
		{"no init", nil, data, media.ErrNotMP4},
		{"garbage init", []byte("garbage garbage garbage"), data, media.ErrNotMP4},
		{"garbage data", init, []byte("garbage garbage garbage"), media.ErrNotMP4},
		{"truncated data", init, data[:len(data)/2], media.ErrNotMP4},
		{"no fragments", init, nil, media.ErrNoVideo},
		{"audio only", aInit, aData, media.ErrNoVideo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := media.ProbeFMP4(tt.init, tt.data)
			if !errors.Is(err, tt.want) || !media.IsInputError(err) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzSplitFMP4(f *testing.F) {
	f.Add([]byte{})
	f.Add(mp4Box("ftyp"))
	f.Add(bytes.Join([][]byte{mp4Box("ftyp"), mp4Box("moov"), mp4Box("moof"), mp4Box("mdat")}, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		init, data, err := media.SplitFMP4(b)
		if err != nil {
			if !errors.Is(err, media.ErrNotMP4) {
				t.Fatalf("error %v is not ErrNotMP4", err)
			}
			return
		}
		if !bytes.HasPrefix(b, init) || !bytes.Contains(b, data) || len(init)+len(data) > len(b) {
			t.Fatalf("init %d + data %d bytes are not a split of %d bytes", len(init), len(data), len(b))
		}
	})
}

func FuzzProbeFMP4(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add(mp4Box("ftyp"), mp4Box("moof"))
	f.Fuzz(func(t *testing.T, init, data []byte) {
		info, err := media.ProbeFMP4(init, data)
		if err != nil {
			if !media.IsInputError(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		if info.Video.Frames == 0 || info.Video.CodecString == "" {
			t.Fatalf("accepted without frames: %+v", info)
		}
	})
}

func TestVP9CodecString(t *testing.T) {
	tests := []struct {
		name                  string
		profile, level, depth uint8
		w, h                  int
		fps                   float64
		want                  string
	}{
		{"level from vpcC", 0, 11, 8, 320, 180, 30, "vp09.00.11.08"},
		{"180p estimated", 0, 0, 8, 320, 180, 30, "vp09.00.11.08"},
		{"360p estimated", 0, 0, 8, 640, 360, 30, "vp09.00.21.08"},
		{"720p estimated", 0, 0, 8, 1280, 720, 30, "vp09.00.31.08"},
		{"1080p30 estimated", 0, 0, 8, 1920, 1080, 30, "vp09.00.40.08"},
		{"1080p60 estimated", 0, 0, 8, 1920, 1080, 60, "vp09.00.41.08"},
		{"2160p estimated", 2, 0, 10, 3840, 2160, 30, "vp09.02.50.10"},
		{"beyond the table", 0, 0, 8, 16384, 16384, 120, "vp09.00.62.08"},
		{"unknown rate and depth", 0, 0, 0, 640, 360, 0, "vp09.00.21.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := media.VP9CodecString(tt.profile, tt.level, tt.depth, tt.w, tt.h, tt.fps); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAV1CodecString(t *testing.T) {
	tests := []struct {
		name string
		sh   av1.SequenceHeader
		want string
	}{
		{"720p main", av1.SequenceHeader{SeqLevelIdx: []uint8{4}, SeqTier: []bool{false}, ColorConfig: av1.SequenceHeader_ColorConfig{BitDepth: 8}}, "av01.0.04M.08"},
		{"high tier 10 bit", av1.SequenceHeader{SeqProfile: 1, SeqLevelIdx: []uint8{13}, SeqTier: []bool{true}, ColorConfig: av1.SequenceHeader_ColorConfig{BitDepth: 10}}, "av01.1.13H.10"},
		{"empty", av1.SequenceHeader{}, "av01.0.00M.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := media.AV1CodecString(&tt.sh); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
