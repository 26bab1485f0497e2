package rtmp

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	gortmp "github.com/yutopp/go-rtmp"
	"github.com/yutopp/go-rtmp/message"

	"github.com/castmesh/castmesh/gateway/ingest"
	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
)

// handler receives one connection's RTMP commands and media from go-rtmp,
// on go-rtmp's goroutine. An error it returns ends the connection.
type handler struct {
	gortmp.DefaultHandler
	c     *conn
	demux *demuxer
	buf   bytes.Buffer
	done  bool // the publish was finished; later media is ignored
}

// OnServe runs once the handshake is done.
func (h *handler) OnServe(*gortmp.Conn) {
	h.c.mu.Lock()
	h.c.shakeOK = true
	h.c.mu.Unlock()
}

// OnConnect checks the application name (RTMP spec §7.2.1.1).
func (h *handler) OnConnect(_ uint32, cmd *message.NetConnectionConnect) error {
	if app := parseApp(cmd.Command.App); app != h.c.cfg.App {
		return h.reject(&RejectError{Reason: ReasonWrongApp, Err: fmt.Errorf("%w %q", ErrWrongApp, app)})
	}
	return nil
}

// OnPlay refuses playback.
func (h *handler) OnPlay(*gortmp.StreamContext, uint32, *message.NetStreamPlay) error {
	return h.reject(ErrPlayRefused)
}

// OnPublish admits the publisher through the Opener (RTMP spec §7.2.2.6).
// An error makes go-rtmp answer NetStream.Publish.Failed and close.
func (h *handler) OnPublish(_ *gortmp.StreamContext, _ uint32, cmd *message.NetStreamPublish) error {
	if h.demux != nil {
		return h.reject(ErrAlreadyPublishing)
	}
	key, err := parseStreamKey(cmd.PublishingName)
	if err != nil {
		return h.reject(&RejectError{Reason: ReasonBadKey, Err: err})
	}
	c := h.c
	stream, err := c.opener.Open(c.ctx, ingest.OpenRequest{Key: key, RemoteAddr: c.nc.RemoteAddr().String(), Protocol: ingest.RTMP})
	if err != nil {
		return h.reject(openRejection(err))
	}
	seg, err := segmenter.New(c.cfg.Segmenter, func(s media.Segment) {
		c.metrics.Segments.Inc()
		stream.Push(s)
	})
	if err != nil { // the config was validated, so this is a bug
		stream.Close()
		return h.reject(err)
	}
	h.demux = &demuxer{seg: seg}
	c.mu.Lock()
	c.stream = stream
	c.logger = c.logger.With("stream", stream.ID())
	c.mu.Unlock()
	c.wire.publish.Store(true)
	close(c.published)
	c.metrics.Publishes.Inc()
	c.logger.Info("rtmp publish started")
	return nil
}

func openRejection(err error) *RejectError {
	switch {
	case errors.Is(err, ingest.ErrUnauthorized):
		return &RejectError{Reason: ReasonUnauthorized, Err: err}
	case errors.Is(err, ingest.ErrTooManyStreams):
		return &RejectError{Reason: ReasonTooManyStreams, Err: err}
	case errors.Is(err, ingest.ErrKeyInUse):
		return &RejectError{Reason: ReasonKeyInUse, Err: err}
	case errors.Is(err, ingest.ErrUnfunded):
		return &RejectError{Reason: ReasonUnfunded, Err: err}
	}
	return &RejectError{Reason: ReasonOpenFailed, Err: err}
}

// OnVideo handles a video message (RTMP spec §7.1.5).
func (h *handler) OnVideo(ts uint32, payload io.Reader) error {
	return h.media(ts, payload, (*demuxer).writeVideo)
}

// OnAudio handles an audio message (RTMP spec §7.1.4).
func (h *handler) OnAudio(ts uint32, payload io.Reader) error {
	return h.media(ts, payload, (*demuxer).writeAudio)
}

func (h *handler) media(ts uint32, payload io.Reader, write func(*demuxer, uint32, []byte) error) error {
	if h.demux == nil || h.done {
		return nil
	}
	h.buf.Reset()
	// The payload is only valid during the callback; the segmenter copies
	// what it keeps, so one buffer serves every message.
	if _, err := h.buf.ReadFrom(payload); err != nil {
		return h.reject(fmt.Errorf("read message: %w", err))
	}
	if err := write(h.demux, ts, h.buf.Bytes()); err != nil {
		return h.reject(rejection(err))
	}
	return nil
}

// OnFCUnpublish and OnDeleteStream end the publish: flush and close.
func (h *handler) OnFCUnpublish(uint32, *message.NetStreamFCUnpublish) error {
	h.finish()
	return nil
}

// OnDeleteStream ends the publish (RTMP spec §7.2.2.3).
func (h *handler) OnDeleteStream(uint32, *message.NetStreamDeleteStream) error {
	h.finish()
	return nil
}

// OnClose runs when go-rtmp closes the connection, for whatever reason.
func (h *handler) OnClose() { h.finish() }

// finish flushes the last segment and closes the stream. It runs once.
// Nothing is flushed when the gateway already ended the stream or the
// stream was refused (a refused stream yields no more segments).
func (h *handler) finish() {
	if h.demux == nil || h.done {
		return
	}
	h.done = true
	h.c.mu.Lock()
	h.c.finished = true
	stream := h.c.stream
	h.c.mu.Unlock()
	if h.flushable(stream) {
		if err := h.demux.seg.Close(); err != nil {
			h.c.fail(rejection(err))
		}
	}
	stream.Close()
}

func (h *handler) flushable(stream ingest.Stream) bool {
	select {
	case <-stream.Done():
		return false
	default:
	}
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	var rej *RejectError
	return !errors.As(h.c.err, &rej)
}

// reject records err as the reason the connection ends and returns it
// for go-rtmp.
func (h *handler) reject(err error) error {
	h.c.fail(err)
	return err
}
