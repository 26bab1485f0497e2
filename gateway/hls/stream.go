package hls

import (
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// maxSegmentDuration bounds what Add accepts; longer means a bug upstream.
const maxSegmentDuration = time.Hour

// pending is a segment waiting for its turn, or a mark that it is lost.
type pending struct {
	lost  bool
	dur   time.Duration
	parts []part
}

// Stream is one stream's HLS output. Its methods are safe for concurrent use.
type Stream struct {
	srv    *Server
	id     string
	dir    string // disk storage root of this stream; "" for memory
	logger *slog.Logger

	mu      sync.Mutex
	next    int64 // the sequence number inserted next
	waiting map[int64]pending
	// msn is the media sequence number of the next inserted segment.
	msn int64
	// discs counts discontinuities so far; gap says the next inserted
	// segment starts one.
	discs      int64
	gap        bool
	renditions []*rendition // ladder order
	byName     map[string]*rendition
	ended      bool
	endedAt    time.Time
	bytes      int64 // segment bytes held in memory
	// unrecorded says the recording stopped at a memory cap.
	unrecorded bool

	master, recMaster []byte // rendered playlists, nil when stale
}

// Add hands over the renditions of segment seq, which lasts dur. Segments
// may come in any order and from many goroutines; they enter the playlists
// in sequence order (see the package doc). A segment with a bad duration or
// no usable rendition counts as skipped. Add keeps the renditions' byte
// slices, so callers must not change them afterwards.
func (st *Stream) Add(seq int64, dur time.Duration, renditions []media.Rendition) {
	if seq < 0 {
		st.logger.Warn("segment dropped: negative sequence number", "seq", seq)
		st.srv.metrics.Segments.WithLabelValues("dropped").Inc()
		return
	}
	parts := st.usable(seq, renditions)
	if dur < time.Millisecond || dur > maxSegmentDuration || len(parts) == 0 {
		st.logger.Warn("segment lost: bad duration or no usable rendition", "seq", seq, "duration", dur)
		st.Skip(seq)
		return
	}
	if st.dir != "" {
		var ok bool
		if parts, ok = st.store(seq, parts); !ok {
			return
		}
	}
	st.mu.Lock()
	garbage := st.offer(seq, pending{dur: dur, parts: parts})
	st.mu.Unlock()
	st.srv.removeFiles(garbage)
}

// Skip says segment seq is lost for good: the segment after it starts with
// EXT-X-DISCONTINUITY (RFC 8216 §4.3.2.3).
func (st *Stream) Skip(seq int64) {
	st.mu.Lock()
	var garbage []string
	if _, known := st.waiting[seq]; !known && !st.ended && seq >= st.next {
		st.waiting[seq] = pending{lost: true}
		garbage = st.advance()
	}
	st.mu.Unlock()
	st.srv.removeFiles(garbage)
}

// SkipTo says every segment before seq is either added already or lost: a
// stream that resumes at seq, or starts there, does not wait for the others.
// No discontinuity is marked when nothing has been inserted yet.
func (st *Stream) SkipTo(seq int64) {
	st.mu.Lock()
	var garbage []string
	if !st.ended {
		garbage = st.flush(seq)
	}
	st.mu.Unlock()
	st.srv.removeFiles(garbage)
}

// End ends the stream after the segments added so far, which are inserted
// at once (missing ones given up): every playlist gets EXT-X-ENDLIST and the
// recording becomes VOD. Later calls to Add are ignored.
func (st *Stream) End() {
	st.mu.Lock()
	var garbage []string
	if !st.ended {
		garbage = st.flush(math.MaxInt64)
		st.ended, st.endedAt = true, st.srv.now()
		st.invalidate()
	}
	st.mu.Unlock()
	st.srv.removeFiles(garbage)
}

// usable drops renditions that cannot be served, logging why.
func (st *Stream) usable(seq int64, rs []media.Rendition) []part {
	parts := make([]part, 0, len(rs))
	seen := make(map[string]bool, len(rs))
	for _, r := range rs {
		why := ""
		switch {
		case !renditionPattern.MatchString(r.Profile.Name):
			why = "invalid rendition name"
		case seen[r.Profile.Name]:
			why = "rendition appears twice"
		case len(r.Data) == 0:
			why = "no data"
		case r.Container == media.FMP4 && len(r.Init) == 0:
			why = "fMP4 without an init section"
		case r.Container != media.FMP4 && r.Container != media.MPEGTS:
			why = "unknown container"
		}
		if why != "" {
			st.logger.Warn("rendition dropped", "seq", seq, "rendition", r.Profile.Name, "reason", why)
			continue
		}
		seen[r.Profile.Name] = true
		parts = append(parts, part{r: r, size: len(r.Data)})
	}
	return parts
}

// accepts reports whether a segment seq would be taken now.
func (st *Stream) accepts(seq int64) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, known := st.waiting[seq]
	return !st.ended && seq >= st.next && !known
}

// invalidate drops the rendered multivariant playlists.
func (st *Stream) invalidate() {
	st.master, st.recMaster = nil, nil
	for _, r := range st.renditions {
		r.live, r.recording = nil, nil
	}
}

func (st *Stream) isEnded() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.ended
}

// expired reports whether the stream ended more than retain before now.
func (st *Stream) expired(now time.Time, retain time.Duration) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.ended && now.Sub(st.endedAt) >= retain
}
