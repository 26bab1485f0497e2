package segmenter_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	flv "github.com/yutopp/go-flv"
	flvtag "github.com/yutopp/go-flv/tag"

	"github.com/castmesh/castmesh/gateway/segmenter"
)

// frame is one FLV audio or video tag, as an RTMP server would see it.
type frame struct {
	video    bool
	config   bool // a sequence header: decoder config or AudioSpecificConfig
	keyFlag  bool // the FLV keyframe flag, which the segmenter must ignore
	dts, pts time.Duration
	data     []byte
}

// readFLV demuxes an FLV file made by ffmpeg into frames.
func readFLV(t testing.TB, path string) []frame {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := flv.NewDecoder(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var frames []frame
	for {
		var tag flvtag.FlvTag
		err := dec.Decode(&tag)
		if errors.Is(err, io.EOF) {
			return frames
		}
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := toFrame(t, &tag); ok {
			frames = append(frames, f)
		}
	}
}

func toFrame(t testing.TB, tag *flvtag.FlvTag) (frame, bool) {
	t.Helper()
	ts := time.Duration(tag.Timestamp) * time.Millisecond
	switch d := tag.Data.(type) {
	case *flvtag.VideoData:
		if d.CodecID != flvtag.CodecIDAVC || d.AVCPacketType == flvtag.AVCPacketTypeEOS {
			return frame{}, false
		}
		data, err := io.ReadAll(d.Data)
		if err != nil {
			t.Fatal(err)
		}
		return frame{
			video: true, config: d.AVCPacketType == flvtag.AVCPacketTypeSequenceHeader,
			keyFlag: d.FrameType == flvtag.FrameTypeKeyFrame,
			dts:     ts, pts: ts + time.Duration(d.CompositionTime)*time.Millisecond, data: data,
		}, true
	case *flvtag.AudioData:
		if d.SoundFormat != flvtag.SoundFormatAAC {
			return frame{}, false
		}
		data, err := io.ReadAll(d.Data)
		if err != nil {
			t.Fatal(err)
		}
		return frame{config: d.AACPacketType == flvtag.AACPacketTypeSequenceHeader, dts: ts, pts: ts, data: data}, true
	}
	return frame{}, false
}

// feed writes frames to a Segmenter and closes it.
func feed(t testing.TB, s *segmenter.Segmenter, frames []frame) {
	t.Helper()
	for i, f := range frames {
		var err error
		switch {
		case f.video && f.config:
			err = s.SetVideoConfig(f.data)
		case f.video:
			err = s.WriteVideo(f.dts, f.pts, f.data)
		case f.config:
			err = s.SetAudioConfig(f.data)
		default:
			err = s.WriteAudio(f.pts, f.data)
		}
		if err != nil {
			t.Fatalf("frame %d (video %v, dts %v): %v", i, f.video, f.dts, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
