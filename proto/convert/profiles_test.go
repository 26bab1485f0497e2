package convert

import (
	"errors"
	"testing"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// Issue #12 finding 13: the ordered ladder's length was unbounded; each
// rung is a full encode of the segment. Now a ladder is at most
// MaxProfiles rungs on the wire.
func TestLadderLengthCapped(t *testing.T) {
	rung := ProfilesToPB(media.DefaultLadder()[:1])[0]
	for _, tc := range []struct {
		name  string
		rungs int
		ok    bool
	}{
		{"none", 0, true},
		{"default", 3, true},
		{"at the cap", MaxProfiles, true},
		{"one over", MaxProfiles + 1, false},
		{"a flood", 100_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := make([]*pb.Profile, tc.rungs)
			for i := range ps {
				ps[i] = rung
			}
			got, err := ProfilesFromPB(ps)
			if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, ErrTooManyProfiles)) {
				t.Fatalf("err %v, want ok %v", err, tc.ok)
			}
			if tc.ok && len(got) != tc.rungs {
				t.Fatalf("%d rungs, want %d", len(got), tc.rungs)
			}
		})
	}
}
