package hls

import (
	"bytes"
	"math"
	"sort"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// entry is one segment in one rendition's playlists.
type entry struct {
	// seq is the ingest sequence number; it names the file.
	seq int64
	// msn is the media sequence number (RFC 8216 §4.3.3.2), the same in
	// every rendition of a stream.
	msn int64
	// discBefore counts the discontinuities before this segment: the
	// EXT-X-DISCONTINUITY-SEQUENCE of a playlist starting here (§6.2.2).
	discBefore int64
	dur        time.Duration
	disc       bool
	// gap marks a segment this rendition lacks (EXT-X-GAP).
	gap bool
	// initID numbers the fMP4 init section; unused for MPEG-TS.
	initID int
	size   int
	// data holds the bytes with memory storage; path names the file with
	// disk storage.
	data []byte
	path string
}

// part is one rendition of a segment on its way into the playlists.
type part struct {
	r media.Rendition
	// size is len(r.Data); with disk storage Data is dropped once written.
	size int
	path string
}

// rendition is one rung of a stream's ladder: its retained segments and what
// the multivariant playlist says about it.
type rendition struct {
	name          string
	width, height int
	codecs        string
	fps           int
	container     media.Container
	entries       []entry
	inits         [][]byte

	peakBPS    float64
	totalBytes int64
	totalDur   time.Duration

	live, recording []byte // rendered playlists, nil when stale
}

func newRendition(p part) *rendition {
	return &rendition{name: p.r.Profile.Name, container: p.r.Container}
}

// ext is the file extension of this rendition's segments.
func (r *rendition) ext() string {
	if r.container == media.FMP4 {
		return extFMP4
	}
	return extTS
}

// add appends e, filled from p unless e is a gap, and returns the entries
// that fell out of retention.
func (r *rendition) add(e entry, p *part, retain int) []entry {
	if p != nil {
		r.describe(p.r)
		e.size, e.data, e.path = p.size, p.r.Data, p.path
		e.initID = r.initID(p.r)
		r.account(p.size, e.dur)
	} else {
		e.initID = max(0, len(r.inits)-1) // a gap keeps the map in force
	}
	r.entries = append(r.entries, e)
	r.live, r.recording = nil, nil
	if retain <= 0 || len(r.entries) <= retain {
		return nil
	}
	n := len(r.entries) - retain
	old := append([]entry(nil), r.entries[:n]...)
	r.entries = append(r.entries[:0:0], r.entries[n:]...)
	return old
}

func (r *rendition) describe(m media.Rendition) {
	r.width, r.height, r.codecs, r.fps = m.Width, m.Height, m.Codecs, m.Profile.FPS
}

// initID returns the number of m's init section, adding it when it differs
// from the last one.
func (r *rendition) initID(m media.Rendition) int {
	if r.container != media.FMP4 {
		return 0
	}
	if n := len(r.inits); n == 0 || !bytes.Equal(r.inits[n-1], m.Init) {
		r.inits = append(r.inits, m.Init)
	}
	return len(r.inits) - 1
}

// account adds a segment to the bit rate figures of RFC 8216 §4.3.4.2:
// BANDWIDTH is the peak segment bit rate, container overhead included.
func (r *rendition) account(size int, dur time.Duration) {
	bps := float64(size) * 8 / dur.Seconds()
	r.peakBPS = max(r.peakBPS, bps)
	r.totalBytes += int64(size)
	r.totalDur += dur
}

// bandwidth returns the peak and average bit rates in bits per second,
// rounded up and kept within what players parse.
func (r *rendition) bandwidth() (peak, avg int) {
	clamp := func(v float64) int { return int(min(math.Ceil(v), math.MaxInt32)) }
	if r.totalDur <= 0 {
		return 0, 0
	}
	return clamp(r.peakBPS), clamp(float64(r.totalBytes) * 8 / r.totalDur.Seconds())
}

// find returns the retained entry with sequence number seq.
func (r *rendition) find(seq int64) (entry, bool) {
	i := sort.Search(len(r.entries), func(i int) bool { return r.entries[i].seq >= seq })
	if i == len(r.entries) || r.entries[i].seq != seq {
		return entry{}, false
	}
	return r.entries[i], true
}
