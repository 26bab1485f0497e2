package attest

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/castmesh/castmesh/pkg/eip191"
	"github.com/castmesh/castmesh/pkg/media"
)

func TestSignVerify(t *testing.T) {
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	signer := crypto.PubkeyToAddress(key.PublicKey)
	rs := []media.Rendition{
		{Profile: media.Profile{Name: "720p"}, Container: media.MPEGTS, Data: []byte("a")},
		{Profile: media.Profile{Name: "360p"}, Container: media.MPEGTS, Data: []byte("b")},
	}
	sig, err := Sign(key, "stream", 7, rs)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(signer, sig, "stream", 7, rs); err != nil {
		t.Fatal(err)
	}
	changed := func(name string, err error) {
		t.Helper()
		if !errors.Is(err, ErrNotSigner) && !errors.Is(err, eip191.ErrBadSignature) {
			t.Errorf("%s: %v, want a failed check", name, err)
		}
	}
	changed("other stream", Verify(signer, sig, "stream2", 7, rs))
	changed("other seq", Verify(signer, sig, "stream", 8, rs))
	swapped := []media.Rendition{rs[1], rs[0]}
	changed("reordered", Verify(signer, sig, "stream", 7, swapped))
	edited := []media.Rendition{rs[0], {Profile: rs[1].Profile, Container: media.MPEGTS, Data: []byte("c")}}
	changed("other bytes", Verify(signer, sig, "stream", 7, edited))
	changed("dropped", Verify(signer, sig, "stream", 7, rs[:1]))
	forged, _ := Sign(other, "stream", 7, rs)
	changed("another key", Verify(signer, forged, "stream", 7, rs))
	// Length prefixes: moving bytes between fields changes the digest.
	if Digest("ab", 1, nil) == Digest("a", 1, nil) || Digest("s", 1, []media.Rendition{{Profile: media.Profile{Name: "ab"}}}) ==
		Digest("s", 1, []media.Rendition{{Profile: media.Profile{Name: "a"}, Container: "b"}}) {
		t.Error("digests collide across field boundaries")
	}
}
