package redeemer

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

const columns = `hash, recipient, sender, face_value, win_prob, nonce, rand_hash, expiration_block, chain_id, broker,
	sig, rand, status, tries, tx_hash, paid, error, created`

func (q *Queue) list(ctx context.Context, where string, args ...any) ([]Entry, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+columns+` FROM winning_tickets `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("redeemer: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scan(rows *sql.Rows) (Entry, error) {
	var e Entry
	var hash, recipient, sender, face, prob, randHash, broker, rnd, status string
	var txHash, paid, why sql.NullString
	var created int64
	t := &e.Winner.Ticket
	err := rows.Scan(&hash, &recipient, &sender, &face, &prob, &t.SenderNonce, &randHash, &t.ExpirationBlock,
		&t.ChainID, &broker, &e.Winner.Sig, &rnd, &status, &e.Tries, &txHash, &paid, &why, &created)
	if err != nil {
		return Entry{}, fmt.Errorf("redeemer: %w", err)
	}
	e.Hash, e.Status, e.Error, e.Created = common.HexToHash(hash), Status(status), why.String, time.Unix(created, 0)
	t.Recipient, t.Sender, t.Broker = common.HexToAddress(recipient), common.HexToAddress(sender), common.HexToAddress(broker)
	t.RecipientRandHash, e.TxHash = common.HexToHash(randHash), common.HexToHash(txHash.String)
	var ok [4]bool
	t.FaceValue, ok[0] = new(big.Int).SetString(face, 10)
	t.WinProb, ok[1] = new(big.Int).SetString(prob, 10)
	e.Winner.Rand, ok[2] = new(big.Int).SetString(rnd, 10)
	ok[3] = true
	if paid.Valid {
		e.Paid, ok[3] = new(big.Int).SetString(paid.String, 10)
	}
	if !ok[0] || !ok[1] || !ok[2] || !ok[3] || t.Hash() != e.Hash {
		return Entry{}, fmt.Errorf("redeemer: stored ticket %s is corrupt", hash)
	}
	return e, nil
}

// Stats counts the queue's tickets by status, with their face values.
type Stats struct {
	Count map[Status]int      `json:"count"`
	Value map[Status]*big.Int `json:"value"`
}

// Stats sums the queue.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	all, err := q.All(ctx)
	if err != nil {
		return Stats{}, err
	}
	s := Stats{Count: map[Status]int{}, Value: map[Status]*big.Int{}}
	for _, e := range all {
		s.Count[e.Status]++
		v, ok := s.Value[e.Status]
		if !ok {
			v = new(big.Int)
			s.Value[e.Status] = v
		}
		v.Add(v, e.Winner.Ticket.FaceValue)
	}
	return s, nil
}
