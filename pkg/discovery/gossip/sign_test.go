package gossip

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// signed is a record signed by key.
func signed(t testing.TB, r record, key interface{ sign(*record) error }) record {
	t.Helper()
	if err := key.sign(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

// keyOf signs with a table's key.
type keyOf struct{ t *table }

func (k keyOf) sign(r *record) error { return r.sign(k.t.key) }

func TestRecordSignature(t *testing.T) {
	key, other := testKey(t), testKey(t)
	now := time.Now()
	good := rec("n", uint64(now.UnixNano()), 1, `{"a":1}`)
	if err := good.sign(key); err != nil {
		t.Fatal(err)
	}
	if err := good.verify(now); err != nil {
		t.Fatalf("a good record: %v", err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(*record)
		want   error
	}{
		{"other name", func(r *record) { r.Name = "m" }, ErrForged},
		{"other boot", func(r *record) { r.Boot++ }, ErrForged},
		{"other version", func(r *record) { r.Version++ }, ErrForged},
		{"other state", func(r *record) { r.State = json.RawMessage(`{"a":2}`) }, ErrForged},
		{"claims another signer", func(r *record) { r.Signer = common.Address{1} }, ErrForged},
		{"no signature", func(r *record) { r.Sig = make([]byte, sigLen) }, ErrForged},
		{"high s", func(r *record) { r.Sig[32] |= 0x80 }, ErrForged},
		{"future boot", func(r *record) {
			r.Boot = uint64(now.Add(maxFutureBoot + time.Second).UnixNano())
			_ = r.sign(key)
		}, ErrFutureRecord},
		{"signed by another key for this signer", func(r *record) {
			s := r.Signer
			_ = r.sign(other)
			r.Signer = s
		}, ErrForged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			r.Sig = bytes.Clone(good.Sig)
			tc.mutate(&r)
			if err := r.verify(now); !errors.Is(err, tc.want) {
				t.Errorf("verify = %v, want %v", err, tc.want)
			}
		})
	}
}

// Issue #12 finding 7: gossip records were not bound to their sender: any
// member could forge another's record, pin a stale state ahead of it
// (a huge boot or version), or replay an old one. Now each record is signed
// by its member's key, the key its metadata announces, and is refused
// otherwise.
func TestGossipForgedRecordRejected(t *testing.T) {
	ms := startCluster(t, 2, RoleOrchestrator)
	a, b := ms[0], ms[1]
	if err := b.SetState(map[string]string{"addr": "10.0.0.2:8935"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, convergeTimeout, func() error { return allSee(ms, map[string]uint64{a.Name(): 0, b.Name(): 1}) })
	honest, _ := b.t.own()
	attacker := testKey(t)
	now := uint64(time.Now().UnixNano())
	forge := func(r record) record {
		if err := r.sign(attacker); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		r      record
		reason string // the refused counter that must move; "" for none
	}{
		{"another's name, own key", forge(rec(b.Name(), now, 99, `{"addr":"6.6.6.6:8935"}`)), "forged"},
		{"pinned ahead, own key", forge(rec(b.Name(), now+uint64(30*time.Second), ^uint64(0), `{"addr":"6.6.6.6:8935"}`)), "forged"},
		{"claims b's signer, signed by another", func() record {
			r := forge(rec(b.Name(), now, 99, `{"addr":"6.6.6.6:8935"}`))
			r.Signer = honest.Signer
			return r
		}(), "forged"},
		{"future boot, b's key", signed(t, rec(b.Name(), now+uint64(time.Hour), 1, `{"addr":"10.0.0.2:8935"}`), keyOf{b.t}), "future"},
		{"replayed stale copy", honest, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := testutil.ToFloat64(a.d.metrics.refused.WithLabelValues(tc.reason))
			for _, msg := range [][]byte{encodeRecord(tc.r), encodeDirect("127.0.0.1:1", tc.r), encodeSync("x", []record{tc.r})} {
				if msg[0] == kindSync {
					a.d.MergeRemoteState(msg, false)
				} else {
					a.d.NotifyMsg(msg)
				}
			}
			if err := stateOf(a, b.Name(), `{"addr":"10.0.0.2:8935"}`, 1); err != nil {
				t.Fatal(err)
			}
			if tc.reason != "" {
				if got := testutil.ToFloat64(a.d.metrics.refused.WithLabelValues(tc.reason)) - before; got != 3 {
					t.Errorf("refused{reason=%s} grew by %v, want 3", tc.reason, got)
				}
			}
		})
	}
	// The honest member's next state is still taken.
	if err := b.SetState(map[string]string{"addr": "10.0.0.2:9000"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, convergeTimeout, func() error { return stateOf(a, b.Name(), `{"addr":"10.0.0.2:9000"}`, 2) })
	nodes, _ := a.Nodes(t.Context())
	if len(nodes) != 1 || nodes[0].Signer != b.Signer().Hex() {
		t.Errorf("nodes %+v, want b's with its signer %s", nodes, b.Signer().Hex())
	}
}

// stateOf checks what m holds of the member named name.
func stateOf(m *member, name, state string, version uint64) error {
	for _, g := range m.Members() {
		if g.Name == name {
			if string(g.State) != state || g.Version != version {
				return fmt.Errorf("%s holds %s v%d of %s, want %s v%d", m.Name(), g.State, g.Version, name, state, version)
			}
			return nil
		}
	}
	return fmt.Errorf("%s does not know %s", m.Name(), name)
}

// Issue #12 finding 7: a forger who speaks for a member before it joins
// (a state pinned ahead of any the member will publish) loses it when the
// member's metadata names its real key.
func TestGossipPinnedBeforeJoinDropped(t *testing.T) {
	tb := newTable("self", 1, testKey(t))
	owner, forger := testKey(t), testKey(t)
	now := uint64(time.Now().UnixNano())
	pinned := rec("b", now+uint64(50*time.Second), ^uint64(0), `"forged"`)
	if err := pinned.sign(forger); err != nil {
		t.Fatal(err)
	}
	if !tb.apply(pinned) {
		t.Fatal("a record for an unknown member was not kept hidden")
	}
	real := rec("b", now, 1, `"real"`)
	if err := real.sign(owner); err != nil {
		t.Fatal(err)
	}
	tb.join("b", "127.0.0.1:2", RoleGateway, real.Signer)
	if ms := tb.members(); len(ms) != 1 || ms[0].State != nil {
		t.Fatalf("the forged state survived its member's join: %+v", ms)
	}
	if err := tb.admit(pinned); !errors.Is(err, ErrForged) {
		t.Errorf("admit(forged) = %v, want ErrForged", err)
	}
	if !tb.apply(real) {
		t.Fatal("the real state was refused")
	}
	if ms := tb.members(); string(ms[0].State) != `"real"` {
		t.Fatalf("members %+v", ms)
	}
}

// FuzzSignedRecord signs a record, changes one byte of its encoding and
// checks the result is refused: by the decoder, or by the signature.
func FuzzSignedRecord(f *testing.F) {
	f.Add("orch-1", uint64(1), uint64(1), `{"addr":"10.0.0.1:8935"}`, uint(3), byte(1))
	f.Add("gw", uint64(time.Now().UnixNano()), uint64(7), `"x"`, uint(90), byte(0x80))
	key := testKey(f)
	f.Fuzz(func(t *testing.T, name string, boot, version uint64, state string, at uint, flip byte) {
		r := record{Name: name, Boot: boot % uint64(time.Now().UnixNano()), Version: version, State: json.RawMessage(state)}
		if err := r.sign(key); err != nil {
			t.Fatal(err)
		}
		b := encodeRecord(r)
		m, err := decodeMessage(b)
		if err != nil {
			return // not a valid record to begin with
		}
		if err := m.Records[0].verify(time.Now()); err != nil {
			t.Fatalf("the untouched record fails: %v", err)
		}
		if flip == 0 {
			return
		}
		b[int(at%uint(len(b)))] ^= flip
		m, err = decodeMessage(b)
		if err != nil {
			return
		}
		if got := m.Records[0]; got.verify(time.Now()) == nil && got.Signer == r.Signer {
			t.Fatalf("a changed record still verifies as %s's: %+v", r.Signer.Hex(), got)
		}
	})
}
