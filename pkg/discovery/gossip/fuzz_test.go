package gossip

import (
	"reflect"
	"testing"
)

// FuzzDecodeMessage feeds arbitrary bytes to the decoder every gossip
// payload goes through (NotifyMsg, MergeRemoteState, node metadata): it
// must return an error, never panic, and what it accepts must encode
// back to a message that decodes the same.
func FuzzDecodeMessage(f *testing.F) {
	for _, tc := range codecCases {
		if len(encode(tc.msg)) < 4096 {
			f.Add(encode(tc.msg))
		}
	}
	f.Add([]byte{})
	f.Add([]byte{kindSync, 1, 'a', 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{kindRecord, 1, 'n', 1, 1, 2, '{', '}', 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b)
		if err != nil {
			return
		}
		again, err := decodeMessage(encode(m))
		if err != nil {
			t.Fatalf("re-encoded %+v does not decode: %v", m, err)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip changed %+v to %+v", m, again)
		}
	})
}
