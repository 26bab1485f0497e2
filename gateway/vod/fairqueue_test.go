package vod

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Issue #12 finding 12: the runner claimed jobs first come, first served
// across all owners, so one owner's backlog held every lane. Owners take
// turns: an owner that queued ten jobs before another queued one does not
// make it wait for all ten. The runner is played by hand here: claim up
// to concurrent jobs, then finish the oldest held, until all are claimed.
func TestVODFairQueue(t *testing.T) {
	tests := []struct {
		name string
		// submit is the owners of the jobs, in the order they are created.
		submit     string
		concurrent int
		// want is the owners of the jobs in the order they are claimed
		// (first come, first served would claim them as submit).
		want string
	}{
		{"one job of B after ten of A", "AAAAAAAAAAB", 1, "ABAAAAAAAAA"},
		{"one job of B after ten of A, two lanes", "AAAAAAAAAAB", 2, "ABAAAAAAAAA"},
		{"three owners take turns", "AAABBBCCC", 1, "ABCABCABC"},
		{"an owner running fewer goes first", "AAAABB", 3, "ABABAA"},
		{"one owner alone runs in order", "AAAA", 2, "AAAA"},
	}
	for name, url := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					ta := newTestAPI(t, url(t), nil)
					owners := map[string]string{}
					for i, o := range tc.submit {
						j := job{
							ID: fmt.Sprintf("job_%c%03d", o, i), Owner: string(o), Status: jobQueued,
							Profile: profileAuto, CreatedAt: ta.now(), Progress: Progress{Phase: jobQueued},
						}
						if err := ta.insertJob(t.Context(), j); err != nil {
							t.Fatal(err)
						}
						owners[j.ID] = j.Owner
						ta.clock.Advance(time.Millisecond)
					}
					var got strings.Builder
					var held []string
					for got.Len() < len(tc.submit) {
						if len(held) == tc.concurrent {
							if err := ta.finish(t.Context(), held[0], jobCompleted, "", nil); err != nil {
								t.Fatal(err)
							}
							held = held[1:]
						}
						j, ok, err := ta.claimJob(t.Context())
						if err != nil || !ok {
							t.Fatalf("claim %d: %v, %v", got.Len(), ok, err)
						}
						got.WriteString(owners[j.ID])
						held = append(held, j.ID)
						ta.clock.Advance(time.Millisecond)
					}
					if got.String() != tc.want {
						t.Fatalf("claimed %s, want %s", got.String(), tc.want)
					}
				})
			}
		})
	}
}

// TestFairOrder is the order itself, owner by owner.
func TestFairOrder(t *testing.T) {
	tests := []struct {
		name string
		in   []waitingOwner
		want string
	}{
		{"fewest running first", []waitingOwner{{owner: "a", running: 2}, {owner: "b", running: 1}, {owner: "c"}}, "cba"},
		{"then the longest since its turn", []waitingOwner{{owner: "a", turn: 5}, {owner: "b", turn: 3}, {owner: "c"}}, "cba"},
		{"then the longest waiting", []waitingOwner{{owner: "a", oldest: 9}, {owner: "b", oldest: 2}}, "ba"},
		{"running before turns", []waitingOwner{{owner: "a", running: 1, turn: 1}, {owner: "b", turn: 7}}, "ba"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fairOrder(tc.in)
			var got string
			for _, w := range tc.in {
				got += w.owner
			}
			if got != tc.want {
				t.Fatalf("order %s, want %s", got, tc.want)
			}
		})
	}
}
