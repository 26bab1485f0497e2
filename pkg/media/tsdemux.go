package media

import (
	"encoding/binary"
	"errors"
)

// tsDemuxer walks a segment's 188-byte packets once: it reads the PAT and
// the first program's PMT, then hands every whole PES packet of the
// elementary streams to onPES with its timestamps. Its cost is linear in
// the segment's size. (go-astits, under mediacommon's reader, re-copies a
// video PES's whole payload at every packet to see whether it is complete,
// which made probing a 2 s 720p segment cost more than routing it.)
//
// It trusts CheckTSFraming to have run: data is whole packets, each
// starting with the sync byte. Malformed packets and PES headers are
// skipped, as a robust demuxer does; what is missing shows in the result.
type tsDemuxer struct {
	// onPMT gets the program's streams once, in PMT order; an error stops
	// the walk.
	onPMT func([]tsStream) error
	// onPES gets each PES packet of a stream onPMT listed that carries a
	// PTS (DTS equals PTS when absent). payload is only valid during the
	// call.
	onPES func(pid uint16, pts, dts int64, payload []byte)

	pmtPID  int // -1 until the PAT is read
	tables  map[uint16][]byte
	streams map[uint16]*pesBuffer
}

// tsStream is one elementary stream of a PMT.
type tsStream struct {
	PID        uint16
	StreamType uint8
	// Registration is the format identifier of a registration descriptor
	// (e.g. "Opus"); 0 when there is none.
	Registration uint32
}

type pesBuffer struct {
	data    []byte
	started bool
}

// errNoPMT means the segment ended before its program's tables did.
var errNoPMT = errors.New("no PAT and PMT")

func (d *tsDemuxer) run(data []byte) error {
	d.pmtPID, d.tables = -1, map[uint16][]byte{}
	for off := 0; off+tsPacketSize <= len(data); off += tsPacketSize {
		if err := d.packet(data[off : off+tsPacketSize]); err != nil {
			return err
		}
	}
	if d.streams == nil {
		return errNoPMT
	}
	for pid, b := range d.streams {
		d.flush(pid, b)
	}
	return nil
}

// packet handles one packet (ISO/IEC 13818-1 §2.4.3.2).
func (d *tsDemuxer) packet(p []byte) error {
	if p[1]&0x80 != 0 { // transport_error_indicator
		return nil
	}
	start := p[1]&0x40 != 0
	pid := uint16(p[1]&0x1f)<<8 | uint16(p[2])
	control := p[3] >> 4 & 3
	payload := p[4:]
	if control&2 != 0 { // adaptation field first
		n := int(p[4])
		if 1+n > len(payload) {
			return nil
		}
		payload = payload[1+n:]
	}
	if control&1 == 0 || len(payload) == 0 {
		return nil
	}
	if d.streams != nil {
		if b, ok := d.streams[pid]; ok {
			d.pesData(pid, b, start, payload)
		}
		return nil
	}
	if pid == 0 || int(pid) == d.pmtPID {
		return d.table(pid, start, payload)
	}
	return nil
}

// pesData adds a packet's payload to its stream's PES packet; a packet
// that starts a new one ends the one before.
func (d *tsDemuxer) pesData(pid uint16, b *pesBuffer, start bool, payload []byte) {
	if start {
		d.flush(pid, b)
		b.started = true
	}
	if b.started {
		b.data = append(b.data, payload...)
	}
}

// table collects a PSI section (a PAT or PMT) across packets and parses it
// once whole.
func (d *tsDemuxer) table(pid uint16, start bool, payload []byte) error {
	if start {
		pointer := int(payload[0])
		if 1+pointer > len(payload) {
			return nil
		}
		d.tables[pid] = append([]byte(nil), payload[1+pointer:]...)
	} else if t, ok := d.tables[pid]; ok {
		d.tables[pid] = append(t, payload...)
	}
	sec := d.tables[pid]
	if len(sec) < 3 {
		return nil
	}
	end := 3 + int(binary.BigEndian.Uint16(sec[1:3])&0x0fff)
	if len(sec) < end {
		return nil // more packets to come
	}
	delete(d.tables, pid)
	sec = sec[:end]
	switch {
	case pid == 0 && sec[0] == 0x00:
		d.pat(sec)
	case int(pid) == d.pmtPID && sec[0] == 0x02:
		return d.pmt(sec)
	}
	return nil
}

// pat takes the first program's PMT PID (§2.4.4.3).
func (d *tsDemuxer) pat(sec []byte) {
	if len(sec) < 12 {
		return
	}
	body := sec[8 : len(sec)-4] // after the header, before the CRC
	for i := 0; i+4 <= len(body); i += 4 {
		if binary.BigEndian.Uint16(body[i:]) != 0 { // program 0 is the network PID
			d.pmtPID = int(binary.BigEndian.Uint16(body[i+2:]) & 0x1fff)
			return
		}
	}
}

// pmt lists the program's elementary streams (§2.4.4.8).
func (d *tsDemuxer) pmt(sec []byte) error {
	if len(sec) < 16 {
		return nil
	}
	body := sec[:len(sec)-4]
	i := 12 + int(binary.BigEndian.Uint16(sec[10:12])&0x0fff) // past program_info
	var streams []tsStream
	for i+5 <= len(body) {
		s := tsStream{StreamType: body[i], PID: binary.BigEndian.Uint16(body[i+1:]) & 0x1fff}
		n := int(binary.BigEndian.Uint16(body[i+3:]) & 0x0fff)
		i += 5
		if i+n > len(body) {
			break
		}
		s.Registration = registration(body[i : i+n])
		i += n
		streams = append(streams, s)
	}
	d.streams = make(map[uint16]*pesBuffer, len(streams))
	for _, s := range streams {
		d.streams[s.PID] = &pesBuffer{}
	}
	return d.onPMT(streams)
}

// registration finds a registration descriptor's format identifier
// (§2.6.8), 0 when there is none.
func registration(desc []byte) uint32 {
	for len(desc) >= 2 {
		tag, n := desc[0], int(desc[1])
		if 2+n > len(desc) {
			return 0
		}
		if tag == 0x05 && n >= 4 {
			return binary.BigEndian.Uint32(desc[2:])
		}
		desc = desc[2+n:]
	}
	return 0
}

// flush hands a whole PES packet to onPES and empties the buffer.
func (d *tsDemuxer) flush(pid uint16, b *pesBuffer) {
	if !b.started {
		return
	}
	pts, dts, payload, ok := parsePES(b.data)
	if ok {
		d.onPES(pid, pts, dts, payload)
	}
	b.data, b.started = b.data[:0], false
}

// parsePES reads a PES packet's header (§2.4.3.6): its PTS and DTS and
// where the payload is. ok is false for a bad header or one without a PTS.
func parsePES(p []byte) (pts, dts int64, payload []byte, ok bool) {
	if len(p) < 9 || p[0] != 0 || p[1] != 0 || p[2] != 1 {
		return 0, 0, nil, false
	}
	switch p[3] { // stream ids without the optional header carry no PTS
	case 0xbc, 0xbe, 0xbf, 0xf0, 0xf1, 0xf2, 0xf8, 0xff:
		return 0, 0, nil, false
	}
	if length := int(binary.BigEndian.Uint16(p[4:6])); length != 0 && 6+length < len(p) {
		p = p[:6+length]
	}
	flags, hdr := p[7]>>6, 9+int(p[8])
	if flags&2 == 0 || hdr > len(p) || hdr < 14 {
		return 0, 0, nil, false
	}
	pts = timestamp(p[9:14])
	dts = pts
	if flags == 3 {
		if hdr < 19 {
			return 0, 0, nil, false
		}
		dts = timestamp(p[14:19])
	}
	return pts, dts, p[hdr:], true
}

// timestamp decodes a 33-bit PTS or DTS field with its marker bits.
func timestamp(b []byte) int64 {
	return int64(b[0]>>1&0x07)<<30 | int64(b[1])<<22 | int64(b[2]>>1)<<15 | int64(b[3])<<7 | int64(b[4]>>1)
}
