package hls

import (
	"math"
)

// offer queues a segment and inserts whatever is now in order. It returns
// the files no longer needed. Called with st.mu held.
func (st *Stream) offer(seq int64, p pending) []string {
	if _, known := st.waiting[seq]; known || st.ended || seq < st.next {
		st.srv.metrics.Segments.WithLabelValues("dropped").Inc()
		st.logger.Debug("segment dropped: late, duplicate or after the end", "seq", seq)
		if st.holds(seq) {
			return nil // a concurrent duplicate wrote the same files: keep them
		}
		return paths(p.parts)
	}
	st.waiting[seq] = p
	return st.advance()
}

// advance inserts segments in order and, while more than MaxPending wait,
// gives up the missing ones before the earliest waiting segment.
func (st *Stream) advance() []string {
	garbage := st.drain()
	for len(st.waiting) > st.srv.cfg.MaxPending {
		first := st.firstWaiting()
		st.logger.Warn("segments given up as lost", "from", st.next, "to", first-1)
		st.jump(first)
		garbage = append(garbage, st.drain()...)
	}
	return garbage
}

// flush inserts or gives up everything before seq, waiting segments
// included, and moves on to seq (or past the last waiting segment when seq
// is MaxInt64).
func (st *Stream) flush(seq int64) []string {
	var garbage []string
	for len(st.waiting) > 0 {
		first := st.firstWaiting()
		if first >= seq {
			break
		}
		st.jump(first)
		garbage = append(garbage, st.drain()...)
	}
	if seq != math.MaxInt64 {
		st.jump(seq)
		garbage = append(garbage, st.drain()...)
	}
	return garbage
}

// drain inserts waiting segments while the next one is there.
func (st *Stream) drain() []string {
	var garbage []string
	for {
		p, ok := st.waiting[st.next]
		if !ok {
			return garbage
		}
		delete(st.waiting, st.next)
		if p.lost {
			st.lose(1)
		} else {
			garbage = append(garbage, st.insert(st.next, p)...)
		}
		st.next++
	}
}

// jump gives up the segments from st.next up to seq.
func (st *Stream) jump(seq int64) {
	if seq > st.next {
		st.lose(seq - st.next)
		st.next = seq
	}
}

// lose records n lost segments: the next inserted one is a discontinuity,
// unless nothing has been inserted yet.
func (st *Stream) lose(n int64) {
	st.srv.metrics.Segments.WithLabelValues("lost").Add(float64(n))
	if st.msn > 0 {
		st.gap = true
	}
}

// holds reports whether a waiting or inserted segment seq uses its file
// names.
func (st *Stream) holds(seq int64) bool {
	if p, ok := st.waiting[seq]; ok {
		return !p.lost
	}
	for _, r := range st.renditions {
		if e, ok := r.find(seq); ok && !e.gap {
			return true
		}
	}
	return false
}

func (st *Stream) firstWaiting() int64 {
	first := int64(math.MaxInt64)
	for seq := range st.waiting {
		first = min(first, seq)
	}
	return first
}

// insert adds segment seq to every rendition's playlists; a rendition the
// segment lacks gets an EXT-X-GAP entry, so media and discontinuity sequence
// numbers stay aligned across renditions (RFC 8216 §6.2.4 needs matching
// discontinuity sequences to switch between them).
func (st *Stream) insert(seq int64, p pending) []string {
	e := entry{seq: seq, msn: st.msn, discBefore: st.discs, dur: p.dur, disc: st.gap}
	st.msn++
	if st.gap {
		st.discs++
		st.gap = false
	}
	st.srv.metrics.Segments.WithLabelValues("inserted").Inc()
	got := make(map[*rendition]*part, len(p.parts))
	var garbage []string
	for i := range p.parts {
		r := st.rendition(p.parts[i])
		if r.container != p.parts[i].r.Container {
			st.logger.Warn("rendition dropped: container changed", "seq", seq, "rendition", r.name)
			garbage = append(garbage, p.parts[i].path)
			continue
		}
		got[r] = &p.parts[i]
	}
	for _, r := range st.renditions {
		ge := e
		ge.gap = got[r] == nil
		garbage = append(garbage, st.retire(r.add(ge, got[r], st.retain()))...)
		if !ge.gap {
			st.hold(int64(len(got[r].r.Data)))
		}
	}
	st.master, st.recMaster = nil, nil
	if st.overCap() {
		garbage = append(garbage, st.stopRecording()...)
	}
	return garbage
}

// recording reports whether the stream keeps every segment.
func (st *Stream) recording() bool { return st.srv.cfg.Record && !st.unrecorded }

// overCap reports whether a recording stream holds more in memory than
// it, or all streams, may.
func (st *Stream) overCap() bool {
	return st.recording() && (st.bytes > st.srv.cfg.MaxRecordingBytes || st.srv.held.Load() > st.srv.cfg.MaxMemoryBytes)
}

// stopRecording keeps only the live window from now on and returns the
// files that fell out of it. recording.m3u8 answers 404 recording_stopped:
// an EVENT playlist may not lose segments (RFC 8216 §6.2.1).
func (st *Stream) stopRecording() []string {
	st.unrecorded = true
	st.srv.metrics.RecordingsStopped.Inc()
	st.logger.Warn("recording stopped: the stream holds too much in memory; live playback goes on",
		"bytes", st.bytes, "max_recording_bytes", st.srv.cfg.MaxRecordingBytes,
		"all_streams_bytes", st.srv.held.Load(), "max_memory_bytes", st.srv.cfg.MaxMemoryBytes)
	var garbage []string
	for _, r := range st.renditions {
		if n := len(r.entries) - st.retain(); n > 0 {
			old := append([]entry(nil), r.entries[:n]...)
			r.entries = append(r.entries[:0:0], r.entries[n:]...)
			r.live, r.recording = nil, nil
			garbage = append(garbage, st.retire(old)...)
		}
	}
	return garbage
}

// rendition returns the state of p's rendition, made on first sight: the
// ladder order is the order renditions first appear in.
func (st *Stream) rendition(p part) *rendition {
	if r := st.byName[p.r.Profile.Name]; r != nil {
		return r
	}
	r := newRendition(p)
	st.renditions = append(st.renditions, r)
	st.byName[r.name] = r
	return r
}

// retain is how many entries a rendition keeps: all of them when recording;
// otherwise the window plus as many again and one, because a segment must
// stay available for its own duration plus the playlist's after leaving the
// playlist (RFC 8216 §6.2.2).
func (st *Stream) retain() int {
	if st.recording() {
		return 0
	}
	return 2*st.srv.cfg.Window + 1
}

// retire forgets dropped entries and returns their files.
func (st *Stream) retire(old []entry) []string {
	var files []string
	for _, e := range old {
		st.hold(-int64(len(e.data)))
		if e.path != "" {
			files = append(files, e.path)
		}
	}
	return files
}

// hold counts n more bytes of segments held in memory.
func (st *Stream) hold(n int64) {
	if n == 0 {
		return
	}
	st.bytes += n
	st.srv.held.Add(n)
	st.srv.metrics.StoredBytes.Add(float64(n))
}

func paths(parts []part) []string {
	var out []string
	for _, p := range parts {
		if p.path != "" {
			out = append(out, p.path)
		}
	}
	return out
}
