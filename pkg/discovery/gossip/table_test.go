package gossip

import (
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func TestTableApply(t *testing.T) {
	tb := newTable("self", 10, testKey(t))
	tb.join("self", "127.0.0.1:1", RoleGateway, tb.signer())
	tb.join("a", "127.0.0.1:2", RoleOrchestrator, common.Address{})

	steps := []struct {
		name string
		r    record
		want bool
	}{
		{"first", rec("a", 5, 2, `2`), true},
		{"older version", rec("a", 5, 1, `1`), false},
		{"same version", rec("a", 5, 2, `2`), false},
		{"newer", rec("a", 5, 3, `3`), true},
		{"previous run", rec("a", 4, 9, `9`), false},
		{"restarted", rec("a", 6, 1, `1`), true},
		{"about self", rec("self", 99, 99, `0`), false},
	}
	for _, s := range steps {
		if got := tb.apply(s.r); got != s.want {
			t.Errorf("%s: apply = %v, want %v", s.name, got, s.want)
		}
	}
	if _, err := tb.setOwn([]byte(`"mine"`)); err != nil {
		t.Fatal(err)
	}
	ms := tb.members()
	if len(ms) != 2 || ms[0].Name != "a" || string(ms[0].State) != `1` || ms[0].Version != 1 ||
		ms[1].Name != "self" || string(ms[1].State) != `"mine"` || ms[1].Version != 1 {
		t.Fatalf("members = %+v", ms)
	}
	ms[0].State[0] = 'x' // the caller's copy
	if got := tb.members()[0].State; string(got) != `1` {
		t.Errorf("members shares state bytes: %s", got)
	}
}

func TestTableLeaveAndSweep(t *testing.T) {
	tb := newTable("self", 1, testKey(t))
	tb.join("self", "127.0.0.1:1", RoleGateway, tb.signer())
	tb.join("a", "127.0.0.1:2", RoleGateway, common.Address{})
	tb.apply(rec("a", 1, 1, `1`))
	ttl := time.Minute

	tb.leave("a")
	if ms := tb.members(); len(ms) != 1 || len(tb.records(syncBudget)) != 0 {
		t.Fatalf("after leave: members %+v, records %+v", ms, tb.records(syncBudget))
	}
	// A late copy of its state changes nothing.
	if tb.apply(rec("a", 1, 1, `1`)) {
		t.Error("re-applied a departed member's state")
	}
	// Wrongly declared dead, it comes back with its state.
	tb.join("a", "127.0.0.1:2", RoleGateway, common.Address{})
	if ms := tb.members(); len(ms) != 2 || string(ms[0].State) != `1` {
		t.Fatalf("after rejoin: %+v", ms)
	}
	tb.leave("a")
	tb.sweep(time.Now(), ttl)
	if _, ok := tb.states["a"]; !ok {
		t.Fatal("forgot a state before its ttl")
	}
	tb.sweep(time.Now().Add(2*ttl), ttl)
	if _, ok := tb.states["a"]; ok {
		t.Fatal("kept a state past its ttl")
	}
	// A state heard before its member's join is kept hidden, then shown.
	tb.apply(rec("b", 1, 1, `"b"`))
	if len(tb.members()) != 1 {
		t.Fatal("showed a state with no member")
	}
	tb.join("b", "127.0.0.1:3", RoleGateway, common.Address{})
	if ms := tb.members(); len(ms) != 2 || string(ms[0].State) != `"b"` {
		t.Fatalf("after join: %+v", ms)
	}
}

func TestRecordsBudget(t *testing.T) {
	tb := newTable("self", 1, testKey(t))
	for _, n := range []string{"a", "b", "c"} {
		tb.join(n, "127.0.0.1:1", RoleGateway, common.Address{})
		tb.apply(rec(n, 1, 1, `"0123456789"`))
	}
	if got := len(tb.records(syncBudget)); got != 3 {
		t.Errorf("%d records, want 3", got)
	}
	if got := len(tb.records(100)); got != 2 {
		t.Errorf("%d records within 100 bytes, want 2", got)
	}
}

func TestRepairGraceAndCooldown(t *testing.T) {
	r := newRepair(time.Second)
	t0 := time.Now()
	r.heard("x", "127.0.0.1:1", t0)
	r.heard("x", "127.0.0.1:1", t0.Add(500*time.Millisecond))
	if got := r.take(t0.Add(999 * time.Millisecond)); len(got) != 0 {
		t.Fatalf("took %+v within the grace period", got)
	}
	if got := r.take(t0.Add(time.Second)); len(got) != 1 || got[0].addr != "127.0.0.1:1" {
		t.Fatalf("took %+v after the grace period", got)
	}
	r.heard("x", "127.0.0.1:1", t0.Add(2*time.Second))
	if got := r.take(t0.Add(5 * time.Second)); len(got) != 0 {
		t.Fatalf("took %+v in the cooldown", got)
	}
	r.heard("x", "127.0.0.1:1", t0.Add(12*time.Second))
	if got := r.take(t0.Add(13 * time.Second)); len(got) != 1 {
		t.Fatalf("took %+v after the cooldown", got)
	}
}

func TestOutboxCoalesces(t *testing.T) {
	o := newOutbox()
	o.add("a")
	o.add("b")
	o.add("a")
	<-o.kick
	if all, to := o.take(); all || len(to) != 2 {
		t.Fatalf("take = %v %v", all, to)
	}
	o.addAll()
	o.add("c")
	<-o.kick
	if all, _ := o.take(); !all {
		t.Fatal("lost addAll")
	}
	select {
	case <-o.kick:
		t.Fatal("kick left after a take")
	default:
	}
	if all, to := o.take(); all || len(to) != 0 {
		t.Fatalf("second take = %v %v", all, to)
	}
}

// Issue #12 finding 7: records for names no member has were all kept
// until the sweep; a member could flood the table. Their number is
// capped.
func TestGossipUnknownStatesBounded(t *testing.T) {
	tb := newTable("self", 1, testKey(t))
	tb.join("self", "127.0.0.1:1", RoleGateway, tb.signer())
	kept := 0
	for i := range maxUnknownStates + 100 {
		if tb.apply(rec(fmt.Sprintf("ghost-%d", i), 1, 1, `1`)) {
			kept++
		}
	}
	// The table holds at most one state per member (here, self) plus
	// maxUnknownStates.
	if kept > maxUnknownStates+1 {
		t.Fatalf("kept %d states of unknown names, the most is %d", kept, maxUnknownStates+1)
	}
	// A real member's state still fits.
	tb.join("a", "127.0.0.1:2", RoleGateway, common.Address{})
	if !tb.apply(rec("a", 1, 1, `1`)) {
		t.Fatal("a member's state was refused")
	}
}
