package flite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// wavInfo describes a PCM WAV file.
type wavInfo struct {
	rate, channels, bits int
	// dataBytes is the size of the samples, at most what the file holds.
	dataBytes int
}

// duration is how long the samples play.
func (w wavInfo) duration() time.Duration {
	perSecond := w.rate * w.channels * w.bits / 8
	return time.Duration(w.dataBytes) * time.Second / time.Duration(perSecond)
}

// parseWAV reads a RIFF WAVE file's "fmt " and "data" chunks (Microsoft
// RIFF, 1991), accepting only integer PCM (format 1).
func parseWAV(b []byte) (wavInfo, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wavInfo{}, errors.New("wav: no RIFF WAVE header")
	}
	var w wavInfo
	for rest := b[12:]; len(rest) >= 8; {
		id, size := string(rest[:4]), int(min(binary.LittleEndian.Uint32(rest[4:8]), uint32(len(rest)-8)))
		body := rest[8 : 8+size]
		switch id {
		case "fmt ":
			if err := w.readFormat(body); err != nil {
				return wavInfo{}, err
			}
		case "data":
			if w.rate == 0 {
				return wavInfo{}, errors.New("wav: data before fmt")
			}
			w.dataBytes = size
			return w, nil
		}
		rest = rest[min(8+size+size%2, len(rest)):]
	}
	return wavInfo{}, errors.New("wav: no data chunk")
}

// readFormat reads a "fmt " chunk's body.
func (w *wavInfo) readFormat(b []byte) error {
	if len(b) < 16 {
		return errors.New("wav: short fmt chunk")
	}
	le := binary.LittleEndian
	format := le.Uint16(b[0:])
	w.channels, w.rate, w.bits = int(le.Uint16(b[2:])), int(le.Uint32(b[4:])), int(le.Uint16(b[14:]))
	if format != 1 || w.channels == 0 || w.channels > 64 || w.rate == 0 || w.rate > 768_000 ||
		w.bits == 0 || w.bits > 64 || w.bits%8 != 0 {
		return fmt.Errorf("wav: not integer PCM: format %d, %d channels, %d Hz, %d bits", format, w.channels, w.rate, w.bits)
	}
	return nil
}
