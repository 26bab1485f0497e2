package hls

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// fileKind is what a request path names.
type fileKind int

const (
	kindMaster          fileKind = iota + 1 // {id}/index.m3u8
	kindRecordingMaster                     // {id}/recording.m3u8
	kindMedia                               // {id}/{rendition}/index.m3u8
	kindRecording                           // {id}/{rendition}/recording.m3u8
	kindSegment                             // {id}/{rendition}/{seq}.ts or .m4s
	kindInit                                // {id}/{rendition}/init-{n}.mp4
)

func (k fileKind) String() string {
	switch k {
	case kindMaster:
		return "master"
	case kindRecordingMaster:
		return "recording_master"
	case kindMedia:
		return "media"
	case kindRecording:
		return "recording"
	case kindSegment:
		return "segment"
	case kindInit:
		return "init"
	}
	return "unknown"
}

// Names allowed in paths: playback ids as the stream manager makes them and
// rendition names as media.Profile allows them.
var (
	playbackIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	renditionPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// Segment file extensions.
const (
	extTS   = ".ts"
	extFMP4 = ".m4s"
)

// errBadPath means a request path names no file this server could have.
var errBadPath = errors.New("no such HLS path")

// target is a parsed request path.
type target struct {
	kind       fileKind
	playbackID string
	rendition  string
	// seq is the segment's sequence number, or the init section's number.
	seq int64
	// ext is extTS or extFMP4 for a segment.
	ext string
}

// parsePath parses a path relative to the mount point, such as
// "abc/720p/12.ts". Numbers must be canonical (no sign, no leading zeros), so
// every file has exactly one URL.
func parsePath(p string) (target, error) {
	parts := strings.Split(p, "/")
	if len(parts) < 2 || len(parts) > 3 || !playbackIDPattern.MatchString(parts[0]) {
		return target{}, errBadPath
	}
	t := target{playbackID: parts[0]}
	if len(parts) == 2 {
		switch parts[1] {
		case "index.m3u8":
			t.kind = kindMaster
		case "recording.m3u8":
			t.kind = kindRecordingMaster
		default:
			return target{}, errBadPath
		}
		return t, nil
	}
	if !renditionPattern.MatchString(parts[1]) {
		return target{}, errBadPath
	}
	t.rendition = parts[1]
	return t, t.parseFile(parts[2])
}

func (t *target) parseFile(name string) error {
	switch name {
	case "index.m3u8":
		t.kind = kindMedia
		return nil
	case "recording.m3u8":
		t.kind = kindRecording
		return nil
	}
	if n, ok := strings.CutPrefix(name, "init-"); ok {
		num, ok := strings.CutSuffix(n, ".mp4")
		t.kind = kindInit
		return t.parseNumber(num, ok)
	}
	for _, ext := range []string{extTS, extFMP4} {
		if num, ok := strings.CutSuffix(name, ext); ok {
			t.kind, t.ext = kindSegment, ext
			return t.parseNumber(num, true)
		}
	}
	return errBadPath
}

func (t *target) parseNumber(s string, ok bool) error {
	if !ok || s == "" || len(s) > 18 || (len(s) > 1 && s[0] == '0') ||
		strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return errBadPath
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errBadPath
	}
	t.seq = n
	return nil
}

// String returns the canonical path of t, the inverse of parsePath.
func (t target) String() string {
	switch t.kind {
	case kindMaster:
		return t.playbackID + "/index.m3u8"
	case kindRecordingMaster:
		return t.playbackID + "/recording.m3u8"
	case kindMedia:
		return t.playbackID + "/" + t.rendition + "/index.m3u8"
	case kindRecording:
		return t.playbackID + "/" + t.rendition + "/recording.m3u8"
	case kindSegment:
		return t.playbackID + "/" + t.rendition + "/" + segmentName(t.seq, t.ext)
	case kindInit:
		return t.playbackID + "/" + t.rendition + "/" + initName(int(t.seq))
	}
	return ""
}

// segmentName is a segment's file name, also its URI in media playlists.
func segmentName(seq int64, ext string) string {
	return strconv.FormatInt(seq, 10) + ext
}

// initName is an init section's file name, also its EXT-X-MAP URI.
func initName(n int) string {
	return "init-" + strconv.Itoa(n) + ".mp4"
}
