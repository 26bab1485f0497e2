package media

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/castmesh/castmesh/pkg/proc"
)

// FileInfo is what ffprobe finds in a whole media file.
type FileInfo struct {
	// Format is ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
	Format   string
	Duration time.Duration
	// BitRate is the container's overall bit rate, bits per second.
	BitRate int64
	// Video is the first video stream; nil when there is none.
	Video *FileVideo
	// Audio is the first audio stream; nil when there is none.
	Audio *FileAudio
}

// FileVideo describes a file's video stream.
type FileVideo struct {
	Codec         string
	Width, Height int
	// FPS is the stream's frame rate (r_frame_rate).
	FPS float64
	// PixFmt is the pixel format, e.g. yuv420p or yuv420p10le.
	PixFmt string
	// Frames counts the stream's packets, one per frame.
	Frames int64
}

// FileAudio describes a file's audio stream.
type FileAudio struct {
	Codec      string
	SampleRate int
	Channels   int
}

// damaged reports whether ffprobe's stderr says a file is cut short or
// corrupt, which it may say while it still reads the headers.
func damaged(stderr string) bool {
	low := strings.ToLower(stderr)
	for _, d := range []string{"partial file", "truncat", "invalid data", "moov atom not found", "error reading", "corrupt"} {
		if strings.Contains(low, d) {
			return true
		}
	}
	return false
}

// SourceFormats are the demuxers (ffmpeg's names, for -format_whitelist)
// ProbeFile reads: the containers video sources come in. Playlists and
// lists (hls, concat, dash) are left out on purpose: their demuxers open
// the files they name, and an HLS playlist with no end tag makes ffprobe
// wait for more segments forever.
const SourceFormats = "mov,mp4,matroska,webm,mpegts,flv,avi,mxf,mpeg,asf,h264,hevc"

// ProbeFile reads a whole file with ffprobe (every packet, so a cut-off
// file shows), and returns its facts. A file ffprobe cannot read, one that
// is damaged, one in a container not in SourceFormats, or one without
// video is an error wrapping ErrInvalidInput. The file may come from
// anyone: ffprobe reads it through local protocols only and within
// proc.ProbeTimeout. ffprobe is the binary; empty means "ffprobe" on PATH.
func ProbeFile(ctx context.Context, ffprobe, path string) (FileInfo, error) {
	if ffprobe == "" {
		ffprobe = "ffprobe"
	}
	ctx, cancel := context.WithTimeout(ctx, proc.ProbeTimeout)
	defer cancel()
	var stderr proc.TailBuffer
	stderr.Max = proc.StderrTail
	args := append([]string{
		"-v", "error", "-count_packets", "-show_format", "-show_streams", "-of", "json",
		"-format_whitelist", SourceFormats,
	}, proc.ProbeInput(path)...)
	out, err := proc.Run(ctx, proc.Cmd{Path: ffprobe, Stderr: &stderr, Args: args})
	if err != nil {
		if pe, ok := err.(*proc.Error); ok { //nolint:errorlint // proc.Run returns it unwrapped
			return FileInfo{}, fmt.Errorf("%w: not a media file ffmpeg reads: %s", ErrInvalidInput, firstLine(pe.Stderr))
		}
		return FileInfo{}, err
	}
	if damaged(stderr.String()) {
		return FileInfo{}, fmt.Errorf("%w: the file is damaged or cut short: %s", ErrInvalidInput, firstLine(stderr.String()))
	}
	info, err := ParseFFprobe(out)
	if err != nil {
		return FileInfo{}, err
	}
	if info.Video == nil || info.Video.Width <= 0 || info.Video.Height <= 0 {
		return FileInfo{}, fmt.Errorf("%w: no video stream", ErrInvalidInput)
	}
	if info.Duration <= 0 {
		return FileInfo{}, fmt.Errorf("%w: no duration", ErrInvalidInput)
	}
	return info, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// ffprobeJSON is the part of ffprobe's JSON output ParseFFprobe reads.
type ffprobeJSON struct {
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
		BitRate  string `json:"bit_rate"`
	} `json:"format"`
	Streams []struct {
		Type        string `json:"codec_type"`
		Codec       string `json:"codec_name"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		RFrameRate  string `json:"r_frame_rate"`
		PixFmt      string `json:"pix_fmt"`
		ReadPackets string `json:"nb_read_packets"`
		SampleRate  string `json:"sample_rate"`
		Channels    int    `json:"channels"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
}

// ParseFFprobe reads the JSON of `ffprobe -show_format -show_streams -of
// json` (with -count_packets for frame counts).
func ParseFFprobe(data []byte) (FileInfo, error) {
	var j ffprobeJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return FileInfo{}, fmt.Errorf("%w: ffprobe output: %w", ErrInvalidInput, err)
	}
	info := FileInfo{Format: j.Format.Name, BitRate: parseInt(j.Format.BitRate)}
	if secs, err := strconv.ParseFloat(j.Format.Duration, 64); err == nil && secs > 0 && secs < math.MaxInt64/float64(time.Second) {
		info.Duration = time.Duration(secs * float64(time.Second))
	}
	for _, s := range j.Streams {
		switch {
		case s.Type == "video" && info.Video == nil && s.Disposition.AttachedPic == 0:
			info.Video = &FileVideo{
				Codec: s.Codec, Width: s.Width, Height: s.Height, FPS: parseRate(s.RFrameRate),
				PixFmt: s.PixFmt, Frames: parseInt(s.ReadPackets),
			}
		case s.Type == "audio" && info.Audio == nil:
			info.Audio = &FileAudio{Codec: s.Codec, SampleRate: int(parseInt(s.SampleRate)), Channels: s.Channels}
		}
	}
	return info, nil
}

func parseInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return max(n, 0)
}

// parseRate reads a rational like "30000/1001"; 0 when it is not one.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if !ok || err1 != nil || err2 != nil || d <= 0 || n < 0 || math.IsInf(n/d, 0) || math.IsNaN(n/d) {
		return 0
	}
	return n / d
}
