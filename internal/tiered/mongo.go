package tiered

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// MongoDB collections of one database:
//
//	kv/APP/KIND   one document per key: {_id: hex(key), v: value, s: commit}
//	seq           NextSequence counters: {_id: hex(bucket), v: uint64 BE, s}
//	commits       commit records: {_id: %016x seq, n: seq, at: time,
//	              parts: N, o: ops (appendOps), first chunk when N > 1};
//	              further chunks {_id: "%016x.I", o: chunk}
//
// MaxValue is the largest value a key may hold: its document must stay
// under MongoDB's 16 MiB.
const MaxValue = 15 << 20

const (
	commitsColl = "commits"
	chunkSize   = 8 << 20 // bytes of encoded ops per record document (limit 16 MiB)
)

// kvDoc is the document of one key.
type kvDoc struct {
	ID string `bson:"_id"`
	V  []byte `bson:"v"`
	S  int64  `bson:"s"`
}

// recordDoc is a commit record, or one further chunk of one.
type recordDoc struct {
	ID    string    `bson:"_id"`
	N     int64     `bson:"n,omitempty"`
	At    time.Time `bson:"at,omitzero"`
	Parts int       `bson:"parts,omitempty"`
	O     []byte    `bson:"o"`
}

// l3 is the MongoDB tier.
type l3 struct {
	db      *mongo.Database
	timeout time.Duration // of one call
}

func (m *l3) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), m.timeout)
}

func mongoErr(what string, err error) error { return fmt.Errorf("%w: %s: %w", ErrMongo, what, err) }

// get reads key of bucket; present false when there is no document.
func (m *l3) get(bucket string, key []byte) (val []byte, seq uint64, present bool, err error) {
	ctx, cancel := m.ctx()
	defer cancel()
	var d kvDoc
	err = m.db.Collection(collectionOf(bucket)).FindOne(ctx, bson.D{{Key: "_id", Value: docID(key)}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, mongoErr("read", err)
	}
	if d.V == nil {
		d.V = []byte{}
	}
	return d.V, uint64(d.S), true, nil
}

// scan returns the keys of bucket starting with prefix, in byte order.
func (m *l3) scan(bucket string, prefix []byte) ([]kv, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	filter := bson.D{}
	if len(prefix) > 0 {
		lo, hi := prefixRange(prefix)
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$gte", Value: lo}, {Key: "$lt", Value: hi}}}}
	}
	cur, err := m.db.Collection(collectionOf(bucket)).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, mongoErr("scan", err)
	}
	defer cur.Close(ctx)
	var out []kv
	for cur.Next(ctx) {
		var d kvDoc
		if err := cur.Decode(&d); err != nil {
			return nil, mongoErr("scan", err)
		}
		k, err := hexKey(d.ID)
		if err != nil {
			return nil, err
		}
		if d.V == nil {
			d.V = []byte{}
		}
		out = append(out, kv{k: k, v: d.V})
	}
	if err := cur.Err(); err != nil {
		return nil, mongoErr("scan", err)
	}
	return out, nil
}

// errTaken means a commit record with that sequence already exists.
var errTaken = errors.New("tiered: commit sequence taken")

// insertRecord stores commit seq: further chunks first, then the record
// itself, whose single insert is the commit point. errTaken when another
// commit has seq.
func (m *l3) insertRecord(seq uint64, enc []byte) error {
	ctx, cancel := m.ctx()
	defer cancel()
	coll := m.db.Collection(commitsColl)
	chunks := [][]byte{enc}
	if len(enc) > chunkSize {
		chunks = slices.Collect(slices.Chunk(enc, chunkSize))
	}
	for i := 1; i < len(chunks); i++ {
		// A leftover chunk of a commit that never became durable is
		// replaced: only the record makes a commit.
		_, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: chunkID(seq, i)}},
			recordDoc{ID: chunkID(seq, i), O: chunks[i]}, options.Replace().SetUpsert(true))
		if err != nil {
			return mongoErr("store commit", err)
		}
	}
	_, err := coll.InsertOne(ctx, recordDoc{ID: recordID(seq), N: int64(seq), At: time.Now().UTC(), Parts: len(chunks), O: chunks[0]})
	if mongo.IsDuplicateKeyError(err) {
		return errTaken
	}
	if err != nil {
		return mongoErr("store commit", err)
	}
	return nil
}

func chunkID(seq uint64, i int) string { return fmt.Sprintf("%s.%d", recordID(seq), i) }

// record reads commit seq; ok false when there is none.
func (m *l3) record(seq uint64) ([]op, bool, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	coll := m.db.Collection(commitsColl)
	var d recordDoc
	err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: recordID(seq)}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, mongoErr("read commit", err)
	}
	enc := d.O
	for i := 1; i < d.Parts; i++ {
		var c recordDoc
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(seq, i)}}).Decode(&c); err != nil {
			return nil, false, mongoErr(fmt.Sprintf("read commit %d chunk %d", seq, i), err)
		}
		enc = append(enc, c.O...)
	}
	ops, err := decodeOps(enc)
	if err != nil {
		return nil, false, fmt.Errorf("%w [commit %d]", err, seq)
	}
	return ops, true, nil
}

// lastRecord returns the sequence of the latest commit record, 0 when none.
func (m *l3) lastRecord() (uint64, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	var d recordDoc
	// Chunk ids ("SEQ.I") sort after their record; records have n.
	err := m.db.Collection(commitsColl).FindOne(ctx, bson.D{{Key: "n", Value: bson.D{{Key: "$gt", Value: 0}}}},
		options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, mongoErr("find last commit", err)
	}
	return uint64(d.N), nil
}

// apply writes commit seq's ops to the key documents. Puts are inserted,
// and replaced when the key exists (known lists the puts a transaction read
// as present, which go straight to replace); deletes remove documents. It
// may run again for the same commit: the result is the same.
func (m *l3) apply(seq uint64, ops []op, known map[string]bool) error {
	by := map[string][]op{}
	for _, o := range ops {
		c := collectionOf(o.bucket)
		by[c] = append(by[c], o)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(by))
	for coll, ops := range by {
		wg.Go(func() {
			if err := m.applyColl(m.db.Collection(coll), seq, ops, known); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (m *l3) applyColl(coll *mongo.Collection, seq uint64, ops []op, known map[string]bool) error {
	ctx, cancel := m.ctx()
	defer cancel()
	var ins []any
	var repl []kvDoc
	var dels []string
	for _, o := range ops {
		id := docID(o.key)
		switch {
		case o.del:
			dels = append(dels, id)
		case known[cacheKey(o.bucket, o.key)]:
			repl = append(repl, kvDoc{ID: id, V: o.val, S: int64(seq)})
		default:
			ins = append(ins, kvDoc{ID: id, V: o.val, S: int64(seq)})
		}
	}
	if len(ins) > 0 {
		_, err := coll.InsertMany(ctx, ins, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
			for _, we := range bwe.WriteErrors {
				if !mongo.IsDuplicateKeyError(we) {
					return mongoErr("apply commit", err)
				}
				repl = append(repl, ins[we.Index].(kvDoc))
			}
		} else if err != nil {
			return mongoErr("apply commit", err)
		}
	}
	if len(repl) > 0 {
		models := make([]mongo.WriteModel, len(repl))
		for i, d := range repl {
			models[i] = mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: d.ID}}).SetReplacement(d).SetUpsert(true)
		}
		if _, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return mongoErr("apply commit", err)
		}
	}
	if len(dels) > 0 {
		if _, err := coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: dels}}}}); err != nil {
			return mongoErr("apply commit", err)
		}
	}
	return nil
}

// gc deletes the commit records and chunks before seq.
func (m *l3) gc(before uint64) error {
	ctx, cancel := m.ctx()
	defer cancel()
	_, err := m.db.Collection(commitsColl).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: recordID(before)}}}})
	if err != nil {
		return mongoErr("drop old commits", err)
	}
	return nil
}

func (m *l3) ping(ctx context.Context) error {
	if err := m.db.Client().Ping(ctx, nil); err != nil {
		return mongoErr("ping", err)
	}
	return nil
}

// hexKey decodes a document _id back to its key.
func hexKey(id string) ([]byte, error) {
	k := make([]byte, len(id)/2)
	if len(id)%2 != 0 || strings.ToLower(id) != id {
		return nil, fmt.Errorf("%w: document id %q", ErrCorrupt, id)
	}
	if _, err := hex.Decode(k, []byte(id)); err != nil {
		return nil, fmt.Errorf("%w: document id %q", ErrCorrupt, id)
	}
	return k, nil
}
