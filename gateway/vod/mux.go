package vod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/castmesh/castmesh/pkg/hlsplaylist"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/pkg/proc"
)

// muxPass joins a pass's renditions into the job's container: one MP4 or MKV
// file, or an HLS ladder whose playlists point at the encoded segments
// (its top rendition is joined too, for the output's facts).
func (a *API) muxPass(ctx context.Context, j job, out *passOutput) error {
	container := j.Req.Output.Container
	top := filepath.Join(out.dir, "output."+container)
	if container == "hls" {
		top = filepath.Join(out.dir, "top.mp4")
	}
	if err := a.join(ctx, out.renditions[0], top); err != nil {
		return err
	}
	info, err := media.ProbeFile(ctx, a.cfg.FFprobe, top)
	if err != nil {
		return fmt.Errorf("probing the output: %w", err)
	}
	out.info = OutputInfo{
		DurationSeconds: round(info.Duration.Seconds(), 3), Width: info.Video.Width, Height: info.Video.Height,
		VideoCodec: info.Video.Codec, Frames: info.Video.Frames, Renditions: len(out.profiles),
	}
	if info.Audio != nil {
		out.info.AudioCodec = info.Audio.Codec
	}
	if container != "hls" {
		st, err := os.Stat(top)
		if err != nil {
			return err
		}
		out.info.Bytes, out.bytes = st.Size(), st.Size()
		out.info.SHA256, err = fileSHA256(top)
		return err
	}
	return a.writeHLS(ctx, out)
}

// join makes one rendition's segments one file without re-encoding. The
// segments keep the source's timestamps, so their bytes joined are one
// continuous stream: MPEG-TS segments one after another, or fMP4 fragments
// after the first segment's initialization section. ffmpeg then remuxes
// that into the container. (ffmpeg's concat demuxer instead rebases every
// file on the previous one's duration, which leaves gaps at the joins.)
func (a *API) join(ctx context.Context, files []renditionFile, dst string) error {
	parts := make([]string, 0, len(files)+1)
	ext, format := ".ts", "mpegts"
	if files[0].init != "" {
		parts, ext, format = append(parts, files[0].init), ".mp4", "mov"
	}
	for _, f := range files {
		parts = append(parts, f.path)
	}
	joined := dst + ".joined" + ext
	defer os.Remove(joined)
	if _, _, err := concat(joined, parts); err != nil {
		return err
	}
	// The segments are the orchestrators' bytes: read them as what they
	// must be, and nothing else.
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y"}, proc.InputAs(format, joined)...)
	args = append(args, "-map", "0", "-c", "copy")
	if strings.HasSuffix(dst, ".mp4") {
		args = append(args, "-movflags", "+faststart")
	}
	tmp := dst + ".tmp" + filepath.Ext(dst)
	if _, err := proc.Run(ctx, proc.Cmd{Path: a.ffmpeg(), Args: append(args, tmp)}); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("joining the segments: %w", err)
	}
	return os.Rename(tmp, dst)
}

// writeHLS writes a VOD media playlist per rendition and the multivariant
// playlist over them; out.bytes sums every file the ladder serves.
func (a *API) writeHLS(ctx context.Context, out *passOutput) error {
	var variants []hlsplaylist.Variant
	var total int64
	for i, p := range out.profiles {
		if p.VideoCodec() == media.HEVC {
			fmp4, err := a.toFMP4(ctx, out.renditions[i])
			if err != nil {
				return err
			}
			out.renditions[i] = fmp4
		}
		files := out.renditions[i]
		m := hlsplaylist.Media{Ended: true, Type: hlsplaylist.VOD}
		var peak, sum, secs float64
		for _, f := range files {
			seg := hlsplaylist.Segment{URI: filepath.Base(f.path), Duration: f.duration}
			if f.init != "" {
				seg.MapURI = filepath.Base(f.init)
				total += fileSize(f.init)
			}
			m.Segments = append(m.Segments, seg)
			total += f.bytes
			sum += float64(f.bytes * 8)
			secs += f.duration.Seconds()
			if d := f.duration.Seconds(); d > 0 {
				peak = max(peak, float64(f.bytes*8)/d)
			}
		}
		playlist, err := m.Encode()
		if err != nil {
			return err
		}
		if _, err := writeFileBytes(filepath.Join(out.dir, p.Name, "index.m3u8"), playlist); err != nil {
			return err
		}
		codecs, w, h := renditionFacts(files[0])
		avg := 0
		if secs > 0 {
			avg = int(sum / secs)
		}
		variants = append(variants, hlsplaylist.Variant{
			URI: p.Name + "/index.m3u8", Bandwidth: max(int(peak), 1), AverageBandwidth: avg, Width: w, Height: h, Codecs: codecs,
		})
	}
	master, err := hlsplaylist.Master(variants)
	if err != nil {
		return err
	}
	if _, err := writeFileBytes(filepath.Join(out.dir, "master.m3u8"), master); err != nil {
		return err
	}
	out.info.Bytes, out.bytes = total, total
	return nil
}

// toFMP4 repackages MPEG-TS segments as fMP4 (an initialization section
// and fragments each, timestamps kept), without re-encoding: HLS carries
// HEVC in fMP4 only (Apple's HLS authoring specification; players such as
// gohlslib read no HEVC from MPEG-TS).
func (a *API) toFMP4(ctx context.Context, files []renditionFile) ([]renditionFile, error) {
	out := make([]renditionFile, 0, len(files))
	for _, f := range files {
		base := strings.TrimSuffix(f.path, ".ts")
		whole := base + ".frag.mp4"
		args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-copyts"}, proc.InputAs("mpegts", f.path)...)
		_, err := proc.Run(ctx, proc.Cmd{Path: a.ffmpeg(), Args: append(args, "-map", "0", "-c", "copy",
			"-bsf:a", "aac_adtstoasc", "-tag:v", "hvc1", "-muxdelay", "0", "-avoid_negative_ts", "disabled", "-video_track_timescale", "90000",
			"-movflags", "frag_keyframe+empty_moov+delay_moov+default_base_moof+frag_discont+skip_trailer", "-f", "mp4", whole,
		)})
		if err != nil {
			return nil, fmt.Errorf("repackaging %s as fMP4: %w", filepath.Base(f.path), err)
		}
		b, err := os.ReadFile(whole)
		_ = os.Remove(whole)
		if err != nil {
			return nil, err
		}
		init, data, err := media.SplitFMP4(b)
		if err != nil {
			return nil, fmt.Errorf("repackaging %s as fMP4: %w", filepath.Base(f.path), err)
		}
		g := renditionFile{path: base + ".m4s", init: base + ".init.mp4", duration: f.duration, bytes: int64(len(data))}
		if _, err := writeFileBytes(g.init, init); err != nil {
			return nil, err
		}
		if _, err := writeFileBytes(g.path, data); err != nil {
			return nil, err
		}
		out = append(out, g) // the .ts stays until publish, so a retry can repackage
	}
	return out, nil
}

// renditionFacts reads a rendition's codecs and size from one segment.
func renditionFacts(f renditionFile) (string, int, int) {
	data, err := os.ReadFile(f.path)
	if err != nil {
		return "", 0, 0
	}
	if f.init != "" {
		init, err := os.ReadFile(f.init)
		if err != nil {
			return "", 0, 0
		}
		info, err := media.ProbeFMP4(init, data)
		if err != nil {
			return "", 0, 0
		}
		return info.Codecs(), info.Video.Width, info.Video.Height
	}
	info, err := media.ProbeTS(data)
	if err != nil {
		return "", 0, 0
	}
	return info.Codecs(), info.Video.Width, info.Video.Height
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// publish makes a pass's output the job's: out/output.mp4 (or .mkv), or
// out/master.m3u8 with a directory per rendition.
func (a *API) publish(j job, out *passOutput) error {
	dst := a.files.output(j.ID)
	_ = os.RemoveAll(dst)
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	if j.Req.Output.Container != "hls" {
		name := "output." + j.Req.Output.Container
		return os.Rename(filepath.Join(out.dir, name), filepath.Join(dst, name))
	}
	if err := os.Rename(filepath.Join(out.dir, "master.m3u8"), filepath.Join(dst, "master.m3u8")); err != nil {
		return err
	}
	for _, p := range out.profiles {
		if err := os.Rename(filepath.Join(out.dir, p.Name), filepath.Join(dst, p.Name)); err != nil {
			return err
		}
		if p.VideoCodec() == media.HEVC { // served as fMP4 (toFMP4)
			ts, _ := filepath.Glob(filepath.Join(dst, p.Name, "*.ts"))
			for _, f := range ts {
				_ = os.Remove(f)
			}
		}
	}
	return nil
}
