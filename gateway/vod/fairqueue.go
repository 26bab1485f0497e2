package vod

import (
	"cmp"
	"context"
	"slices"
)

// The runner does not take jobs first come, first served: an owner that
// queued a hundred jobs would hold every lane until they were done. It
// takes owners in turn: of the owners with a job waiting, the one with the
// fewest jobs running on any gateway, then the one whose turn came longest
// ago (vod_turns, shared by the gateways on one store), then the one
// waiting longest. Within an owner, jobs run oldest first.

// waitingOwner is an owner with a job to claim, and what its turn depends on.
type waitingOwner struct {
	owner string
	// running counts its jobs a live gateway holds.
	running int
	// turn is when one of its jobs was last claimed (Unix ms; 0: never).
	turn int64
	// oldest is when its oldest waiting job was created (Unix ms).
	oldest int64
}

// fairOrder sorts owners into the order they are served.
func fairOrder(ws []waitingOwner) {
	slices.SortFunc(ws, func(a, b waitingOwner) int {
		return cmp.Or(cmp.Compare(a.running, b.running), cmp.Compare(a.turn, b.turn),
			cmp.Compare(a.oldest, b.oldest), cmp.Compare(a.owner, b.owner))
	})
}

// waitingOwners reads the owners with a job no live gateway holds, in the
// order they are served at now.
func (a *API) waitingOwners(ctx context.Context, now int64) ([]waitingOwner, error) {
	byOwner := map[string]*waitingOwner{}
	var ws []waitingOwner
	err := a.scanRows(ctx, func(scan func(...any) error) error {
		var w waitingOwner
		if err := scan(&w.owner, &w.oldest); err != nil {
			return err
		}
		ws = append(ws, w)
		return nil
	}, `SELECT owner, MIN(created_at) FROM vod_jobs
		WHERE status IN ('queued', 'probing', 'encoding', 'muxing') AND lease_until < ? GROUP BY owner`, now)
	if err != nil || len(ws) == 0 {
		return nil, err
	}
	for i := range ws {
		byOwner[ws[i].owner] = &ws[i]
	}
	err = a.scanRows(ctx, func(scan func(...any) error) error {
		var owner string
		var n int
		if err := scan(&owner, &n); err != nil {
			return err
		}
		if w := byOwner[owner]; w != nil {
			w.running = n
		}
		return nil
	}, `SELECT owner, COUNT(*) FROM vod_jobs
		WHERE status IN ('queued', 'probing', 'encoding', 'muxing') AND lease_until >= ? GROUP BY owner`, now)
	if err != nil {
		return nil, err
	}
	err = a.scanRows(ctx, func(scan func(...any) error) error {
		var owner string
		var turn int64
		if err := scan(&owner, &turn); err != nil {
			return err
		}
		if w := byOwner[owner]; w != nil {
			w.turn = turn
		}
		return nil
	}, `SELECT owner, last_claim FROM vod_turns`)
	if err != nil {
		return nil, err
	}
	fairOrder(ws)
	return ws, nil
}

// takeTurn records that owner's job was claimed at now.
func (a *API) takeTurn(ctx context.Context, owner string, now int64) error {
	_, err := a.db.ExecContext(ctx, a.db.Q(`INSERT INTO vod_turns (owner, last_claim) VALUES (?, ?)
		ON CONFLICT (owner) DO UPDATE SET last_claim = excluded.last_claim`), owner, now)
	return err
}

// scanRows runs query and calls row for each row with its Scan.
func (a *API) scanRows(ctx context.Context, row func(scan func(...any) error) error, query string, args ...any) error {
	rows, err := a.db.QueryContext(ctx, a.db.Q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
