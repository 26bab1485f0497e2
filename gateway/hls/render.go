package hls

import (
	"github.com/castmesh/castmesh/pkg/hlsplaylist"
	"github.com/castmesh/castmesh/pkg/media"
)

// Playlists are rendered on request and kept until the stream changes, so a
// crowd of players polling costs one render per change. All functions here
// are called with st.mu held.

// masterPlaylist returns the multivariant playlist pointing at each
// rendition's file (index.m3u8 or recording.m3u8), or nil while a rendition
// has no segment yet.
func (st *Stream) masterPlaylist(file string, cache *[]byte) ([]byte, error) {
	if *cache != nil || len(st.renditions) == 0 {
		return *cache, nil
	}
	variants := make([]hlsplaylist.Variant, 0, len(st.renditions))
	for _, r := range st.renditions {
		peak, avg := r.bandwidth()
		if peak == 0 {
			return nil, nil
		}
		variants = append(variants, hlsplaylist.Variant{
			URI:              r.name + "/" + file,
			Bandwidth:        peak,
			AverageBandwidth: avg,
			Width:            r.width,
			Height:           r.height,
			Codecs:           r.codecs,
			FrameRate:        float64(r.fps),
		})
	}
	text, err := hlsplaylist.Master(variants)
	*cache = text
	return text, err
}

// livePlaylist returns the sliding window of r's last Window segments.
func (st *Stream) livePlaylist(r *rendition) ([]byte, error) {
	if r.live != nil {
		return r.live, nil
	}
	window := r.entries[max(0, len(r.entries)-st.srv.cfg.Window):]
	text, err := st.mediaPlaylist(r, window, hlsplaylist.Live)
	r.live = text
	return text, err
}

// recordingPlaylist returns every segment of r: EVENT while live, VOD once
// ended.
func (st *Stream) recordingPlaylist(r *rendition) ([]byte, error) {
	if r.recording != nil {
		return r.recording, nil
	}
	typ := hlsplaylist.Event
	if st.ended {
		typ = hlsplaylist.VOD
	}
	text, err := st.mediaPlaylist(r, r.entries, typ)
	r.recording = text
	return text, err
}

func (st *Stream) mediaPlaylist(r *rendition, entries []entry, typ hlsplaylist.PlaylistType) ([]byte, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	m := hlsplaylist.Media{
		MediaSequence:         entries[0].msn,
		DiscontinuitySequence: entries[0].discBefore,
		Segments:              make([]hlsplaylist.Segment, len(entries)),
		Ended:                 st.ended,
		Type:                  typ,
	}
	ext := r.ext()
	for i, e := range entries {
		s := hlsplaylist.Segment{URI: segmentName(e.seq, ext), Duration: e.dur, Discontinuity: e.disc, Gap: e.gap}
		if r.container == media.FMP4 {
			s.MapURI = initName(e.initID)
		}
		m.Segments[i] = s
	}
	return m.Encode()
}
