package media

import (
	"bytes"
	"encoding/binary"
	"fmt"

	amp4 "github.com/abema/go-mp4"
)

// Movie fragment flags, ISO/IEC 14496-12 §8.8.7 (tfhd), §8.8.8 (trun) and
// §8.8.3.1 (sample_flags).
const (
	tfhdBaseDataOffset   = 0x000001
	tfhdDefaultDuration  = 0x000008
	tfhdDefaultSize      = 0x000010
	tfhdDefaultFlags     = 0x000020
	trunDataOffset       = 0x000001
	trunFirstSampleFlags = 0x000004
	trunSampleDuration   = 0x000100
	trunSampleSize       = 0x000200
	trunSampleFlags      = 0x000400
	trunSampleCTS        = 0x000800
	sampleIsNonSync      = 0x00010000
	// maxTrunSamples bounds one trun so a forged count cannot exhaust
	// memory: 2^16 samples is over four minutes of 240 fps video.
	maxTrunSamples = 1 << 16
)

// sampleDefaults are a track's fallback sample values (trex, §8.8.3).
type sampleDefaults struct {
	duration, size, flags uint32
}

// trexDefaults reads the trex box of every track in an init section.
func trexDefaults(init []byte) map[uint32]sampleDefaults {
	path := amp4.BoxPath{amp4.BoxTypeMoov(), amp4.BoxTypeMvex(), amp4.BoxTypeTrex()}
	boxes, err := amp4.ExtractBoxWithPayload(bytes.NewReader(init), nil, path)
	defaults := make(map[uint32]sampleDefaults, len(boxes))
	if err != nil {
		return defaults
	}
	for _, b := range boxes {
		if trex, ok := b.Payload.(*amp4.Trex); ok {
			defaults[trex.TrackID] = sampleDefaults{trex.DefaultSampleDuration, trex.DefaultSampleSize, trex.DefaultSampleFlags}
		}
	}
	return defaults
}

// traf is one track fragment: its decode time and samples.
type traf struct {
	trackID  uint32
	baseTime int64 // in the track's timescale
	hasTfdt  bool
	samples  []fragSample
	tfhd     *amp4.Tfhd
	moof     uint64 // offset of the enclosing moof in the data
}

// fragSample is what the probe needs of one sample.
type fragSample struct {
	duration uint32
	cts      int64 // composition offset
	sync     bool
}

// fragReader walks moof boxes, keeping each track's next decode time for
// fragments without a tfdt.
type fragReader struct {
	data     []byte
	defaults map[uint32]sampleDefaults
	trafs    []*traf
	nextDTS  map[uint32]int64
	moof     uint64
}

// readFragments parses the track fragments of moof+mdat data, honouring the
// tfhd and trex defaults and trun's first-sample flags (ffmpeg marks the
// first sample of a fragment as a sync sample only that way).
func readFragments(data []byte, defaults map[uint32]sampleDefaults) ([]*traf, error) {
	if _, err := topLevelBoxes(data); err != nil {
		return nil, err
	}
	r := &fragReader{data: data, defaults: defaults, nextDTS: map[uint32]int64{}}
	if _, err := amp4.ReadBoxStructure(bytes.NewReader(data), r.handle); err != nil {
		return nil, fmt.Errorf("%w: fragments: %w", ErrNotMP4, err)
	}
	for _, t := range r.trafs {
		if t.tfhd == nil {
			return nil, fmt.Errorf("%w: traf without tfhd", ErrNotMP4)
		}
	}
	return r.trafs, nil
}

func (r *fragReader) handle(h *amp4.ReadHandle) (any, error) {
	switch h.BoxInfo.Type {
	case amp4.BoxTypeMoof():
		r.moof = h.BoxInfo.Offset
		return h.Expand()
	case amp4.BoxTypeTraf():
		if len(h.Path) != 2 {
			return nil, fmt.Errorf("traf outside moof")
		}
		r.trafs = append(r.trafs, &traf{moof: r.moof})
		return h.Expand()
	case amp4.BoxTypeTfhd(), amp4.BoxTypeTfdt(), amp4.BoxTypeTrun():
		return nil, r.trafChild(h)
	}
	return nil, nil
}

func (r *fragReader) trafChild(h *amp4.ReadHandle) error {
	if len(h.Path) != 3 || len(r.trafs) == 0 {
		return fmt.Errorf("%s outside traf", h.BoxInfo.Type)
	}
	t := r.trafs[len(r.trafs)-1]
	if h.BoxInfo.Type == amp4.BoxTypeTrun() {
		if err := checkTrunSize(r.data, h.BoxInfo); err != nil {
			return err
		}
	}
	box, _, err := h.ReadPayload()
	if err != nil {
		return err
	}
	switch b := box.(type) {
	case *amp4.Tfhd:
		t.tfhd, t.trackID = b, b.TrackID
	case *amp4.Tfdt:
		t.baseTime, t.hasTfdt = int64(b.GetBaseMediaDecodeTime()), true
	case *amp4.Trun:
		return r.addTrun(t, b)
	}
	return nil
}

// checkTrunSize rejects a trun whose sample count cannot fit in the box.
func checkTrunSize(data []byte, bi amp4.BoxInfo) error {
	off := bi.Offset + bi.HeaderSize
	if off+8 > uint64(len(data)) || bi.Size < bi.HeaderSize+8 {
		return fmt.Errorf("short trun")
	}
	flags := binary.BigEndian.Uint32(data[off:]) & 0xffffff
	count := uint64(binary.BigEndian.Uint32(data[off+4:]))
	entry := uint64(0)
	for _, f := range []uint32{trunSampleDuration, trunSampleSize, trunSampleFlags, trunSampleCTS} {
		if flags&f != 0 {
			entry += 4
		}
	}
	if count > maxTrunSamples || count*entry > bi.Size-bi.HeaderSize-8 {
		return fmt.Errorf("trun sample count %d does not fit", count)
	}
	return nil
}

func (r *fragReader) addTrun(t *traf, trun *amp4.Trun) error {
	if t.tfhd == nil {
		return fmt.Errorf("trun before tfhd")
	}
	if !t.hasTfdt {
		t.baseTime, t.hasTfdt = r.nextDTS[t.trackID], true
	}
	d := r.trunDefaults(t.tfhd)
	flags := trun.GetFlags()
	next := t.baseTime
	for _, s := range t.samples {
		next += int64(s.duration)
	}
	var size uint64
	for i, e := range trun.Entries {
		s, sampleSize := fragSample{duration: d.duration}, uint64(d.size)
		sampleFlags := d.flags
		if flags&trunSampleDuration != 0 {
			s.duration = e.SampleDuration
		}
		if flags&trunSampleSize != 0 {
			sampleSize = uint64(e.SampleSize)
		}
		switch {
		case flags&trunSampleFlags != 0:
			sampleFlags = e.SampleFlags
		case i == 0 && flags&trunFirstSampleFlags != 0:
			sampleFlags = trun.FirstSampleFlags
		}
		if flags&trunSampleCTS != 0 {
			s.cts = int64(e.SampleCompositionTimeOffsetV0)
			if trun.GetVersion() != 0 {
				s.cts = int64(e.SampleCompositionTimeOffsetV1)
			}
		}
		s.sync = sampleFlags&sampleIsNonSync == 0
		t.samples = append(t.samples, s)
		size += sampleSize
		next += int64(s.duration)
	}
	r.nextDTS[t.trackID] = next
	return r.checkSampleData(t, trun, size)
}

// trunDefaults picks each default from tfhd when it carries one, else trex.
func (r *fragReader) trunDefaults(tfhd *amp4.Tfhd) sampleDefaults {
	d := r.defaults[tfhd.TrackID]
	flags := tfhd.GetFlags()
	if flags&tfhdDefaultDuration != 0 {
		d.duration = tfhd.DefaultSampleDuration
	}
	if flags&tfhdDefaultSize != 0 {
		d.size = tfhd.DefaultSampleSize
	}
	if flags&tfhdDefaultFlags != 0 {
		d.flags = tfhd.DefaultSampleFlags
	}
	return d
}

// checkSampleData checks that a trun's samples lie inside the data when
// their position is relative to the moof (default-base-is-moof, or the
// first traf without a base data offset).
func (r *fragReader) checkSampleData(t *traf, trun *amp4.Trun, size uint64) error {
	if t.tfhd.GetFlags()&tfhdBaseDataOffset != 0 || trun.GetFlags()&trunDataOffset == 0 {
		return nil
	}
	start := int64(t.moof) + int64(trun.DataOffset)
	if start < 0 || uint64(start)+size > uint64(len(r.data)) {
		return fmt.Errorf("sample data %d+%d past the end of %d bytes", start, size, len(r.data))
	}
	return nil
}
