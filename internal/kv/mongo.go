package kv

import (
	"context"
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/abi"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// kvCollection holds the documents {_id: key, value: value} of the
// methods both kinds have.
const kvCollection = "kv"

// Mongo is a MongoDB store: its collections live in Database as
// <app>.<db>.<collection>.
type Mongo struct {
	db       *mongo.Database
	prefix   string
	maxValue int // bytes of a written document (BSON); 0: no limit
}

// encode marshals a document, or an update, once: for the size check and
// for the driver, which takes the bytes as they are.
func (m *Mongo) encode(d bson.D) (bson.Raw, error) {
	b, err := bson.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := fits(len(b), m.maxValue); err != nil {
		return nil, err
	}
	return b, nil
}

// Kind returns abi.KindMongoDB.
func (m *Mongo) Kind() string { return abi.KindMongoDB }

func (m *Mongo) coll(name string) (*mongo.Collection, error) {
	if err := checkName("collection", name); err != nil {
		return nil, err
	}
	return m.db.Collection(m.prefix + name), nil
}

// Get returns the value stored under key, or nil.
func (m *Mongo) Get(ctx context.Context, key string) (any, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	doc, err := m.FindOne(ctx, kvCollection, map[string]any{"_id": key})
	if doc == nil || err != nil {
		return nil, err
	}
	return doc["value"], nil
}

// Set stores v under key.
func (m *Mongo) Set(ctx context.Context, key string, v any) error {
	if err := checkKey(key); err != nil {
		return err
	}
	lit, err := literal(v)
	if err != nil {
		return err
	}
	set, err := m.encode(bson.D{{Key: "$set", Value: bson.D{{Key: "value", Value: lit}}}})
	if err != nil {
		return err
	}
	c, _ := m.coll(kvCollection)
	_, err = c.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, set, options.UpdateOne().SetUpsert(true))
	return mongoErr(err)
}

// Delete removes key and reports whether it existed.
func (m *Mongo) Delete(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	n, err := m.DeleteOne(ctx, kvCollection, map[string]any{"_id": key})
	return n > 0, err
}

// Exists reports whether key exists.
func (m *Mongo) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	c, _ := m.coll(kvCollection)
	n, err := c.CountDocuments(ctx, bson.D{{Key: "_id", Value: key}}, options.Count().SetLimit(1))
	return n > 0, mongoErr(err)
}

// FindOne returns the first document matching filter, or nil.
func (m *Mongo) FindOne(ctx context.Context, coll string, filter any) (map[string]any, error) {
	c, f, err := m.query(coll, filter)
	if err != nil {
		return nil, err
	}
	return m.findOne(ctx, c, f)
}

func (m *Mongo) findOne(ctx context.Context, c *mongo.Collection, f bson.D) (map[string]any, error) {
	raw, err := c.FindOne(ctx, f).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, mongoErr(err)
	}
	return fromDoc(raw)
}

// Find returns the documents matching filter. The documents' BSON may
// total at most maxBytes, else ErrTooLarge.
func (m *Mongo) Find(ctx context.Context, coll string, filter any, o FindOptions, maxBytes int) ([]any, error) {
	c, f, err := m.query(coll, filter)
	if err != nil {
		return nil, err
	}
	opts := options.Find().SetSkip(o.Skip).SetLimit(o.Limit)
	if len(o.Sort) > 0 {
		opts.SetSort(o.Sort)
	}
	cur, err := c.Find(ctx, f, opts)
	if err != nil {
		return nil, mongoErr(err)
	}
	defer cur.Close(ctx)
	docs := []any{}
	size := 0
	for cur.Next(ctx) {
		if size += len(cur.Current); size > maxBytes {
			return nil, fmt.Errorf("%w: the documents found exceed %d bytes; narrow the filter or set a limit", ErrTooLarge, maxBytes)
		}
		d, err := fromDoc(cur.Current)
		if err != nil {
			return nil, mongoErr(err)
		}
		docs = append(docs, d)
	}
	return docs, mongoErr(cur.Err())
}

// InsertOne inserts doc and returns its _id.
func (m *Mongo) InsertOne(ctx context.Context, coll string, doc any) (any, error) {
	c, err := m.coll(coll)
	if err != nil {
		return nil, err
	}
	d, id, err := Document(doc)
	if err != nil {
		return nil, err
	}
	raw, err := m.encode(d)
	if err != nil {
		return nil, err
	}
	_, err = c.InsertOne(ctx, raw)
	return id, mongoErr(err)
}

// InsertMany inserts docs, in order, and returns their _ids.
func (m *Mongo) InsertMany(ctx context.Context, coll string, docs []any) ([]any, error) {
	c, err := m.coll(coll)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: insert_many takes at least one document", ErrInvalid)
	}
	ds, ids := make([]any, len(docs)), make([]any, len(docs))
	for i, doc := range docs {
		var d bson.D
		if d, ids[i], err = Document(doc); err != nil {
			return nil, err
		}
		if ds[i], err = m.encode(d); err != nil {
			return nil, err
		}
	}
	_, err = c.InsertMany(ctx, ds)
	return ids, mongoErr(err)
}

// UpdateResult says how many documents an update matched and changed.
type UpdateResult struct{ Matched, Modified int64 }

// UpdateOne applies update to the first document matching filter.
func (m *Mongo) UpdateOne(ctx context.Context, coll string, filter, update any) (UpdateResult, error) {
	return m.update(ctx, coll, filter, update, false)
}

// UpdateMany applies update to every document matching filter.
func (m *Mongo) UpdateMany(ctx context.Context, coll string, filter, update any) (UpdateResult, error) {
	return m.update(ctx, coll, filter, update, true)
}

func (m *Mongo) update(ctx context.Context, coll string, filter, update any, many bool) (UpdateResult, error) {
	c, f, err := m.query(coll, filter)
	if err != nil {
		return UpdateResult{}, err
	}
	u, err := Update(update)
	if err != nil {
		return UpdateResult{}, err
	}
	return m.apply(ctx, c, f, u, many)
}

func (m *Mongo) apply(ctx context.Context, c *mongo.Collection, f, u bson.D, many bool) (UpdateResult, error) {
	raw, err := m.encode(u)
	if err != nil {
		return UpdateResult{}, err
	}
	var res *mongo.UpdateResult
	if many {
		res, err = c.UpdateMany(ctx, f, raw)
	} else {
		res, err = c.UpdateOne(ctx, f, raw)
	}
	if err != nil {
		return UpdateResult{}, mongoErr(err)
	}
	return UpdateResult{Matched: res.MatchedCount, Modified: res.ModifiedCount}, nil
}

// DeleteOne deletes the first document matching filter and returns how
// many it deleted.
func (m *Mongo) DeleteOne(ctx context.Context, coll string, filter any) (int64, error) {
	return m.delete(ctx, coll, filter, false)
}

// DeleteMany deletes every document matching filter.
func (m *Mongo) DeleteMany(ctx context.Context, coll string, filter any) (int64, error) {
	return m.delete(ctx, coll, filter, true)
}

func (m *Mongo) delete(ctx context.Context, coll string, filter any, many bool) (int64, error) {
	c, f, err := m.query(coll, filter)
	if err != nil {
		return 0, err
	}
	var res *mongo.DeleteResult
	if many {
		res, err = c.DeleteMany(ctx, f)
	} else {
		res, err = c.DeleteOne(ctx, f)
	}
	if err != nil {
		return 0, mongoErr(err)
	}
	return res.DeletedCount, nil
}

// FindByID returns the document with _id id, or nil.
func (m *Mongo) FindByID(ctx context.Context, coll string, id any) (map[string]any, error) {
	c, f, err := m.byID(coll, id)
	if err != nil {
		return nil, err
	}
	return m.findOne(ctx, c, f)
}

// UpdateByID applies update to the document with _id id.
func (m *Mongo) UpdateByID(ctx context.Context, coll string, id, update any) (UpdateResult, error) {
	c, f, err := m.byID(coll, id)
	if err != nil {
		return UpdateResult{}, err
	}
	u, err := Update(update)
	if err != nil {
		return UpdateResult{}, err
	}
	return m.apply(ctx, c, f, u, false)
}

// DeleteByID deletes the document with _id id and reports whether there
// was one.
func (m *Mongo) DeleteByID(ctx context.Context, coll string, id any) (bool, error) {
	c, f, err := m.byID(coll, id)
	if err != nil {
		return false, err
	}
	res, err := c.DeleteOne(ctx, f)
	if err != nil {
		return false, mongoErr(err)
	}
	return res.DeletedCount > 0, nil
}

// query checks a collection name and a filter.
func (m *Mongo) query(coll string, filter any) (*mongo.Collection, bson.D, error) {
	c, err := m.coll(coll)
	if err != nil {
		return nil, nil, err
	}
	f, err := Filter(filter)
	return c, f, err
}

// byID makes the filter of the *_by_id methods: the id as given, and as
// an ObjectId when it is one's hex form (stored by another program).
func (m *Mongo) byID(coll string, id any) (*mongo.Collection, bson.D, error) {
	c, err := m.coll(coll)
	if err != nil {
		return nil, nil, err
	}
	switch x := id.(type) {
	case int64:
		return c, bson.D{{Key: "_id", Value: x}}, nil
	case string:
		if oid, err := bson.ObjectIDFromHex(x); err == nil {
			return c, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{x, oid}}}}}, nil
		}
		return c, bson.D{{Key: "_id", Value: x}}, nil
	}
	return nil, nil, fmt.Errorf("%w: an id is a string or an int, got %s", ErrInvalid, kindOf(id))
}

// mongoErr sorts a driver error: a duplicate key or another error the
// server answered refuses the argument; anything else (network, timeout)
// means the server could not be used.
func mongoErr(err error) error {
	var se mongo.ServerError
	switch {
	case err == nil:
		return nil
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: mongodb: a document with this _id exists", ErrInvalid)
	case mongo.IsTimeout(err) || mongo.IsNetworkError(err) || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: mongodb: %v", ErrUnavailable, err)
	case errors.As(err, &se):
		return fmt.Errorf("%w: mongodb: %v", ErrInvalid, err)
	}
	return fmt.Errorf("%w: mongodb: %v", ErrUnavailable, err)
}
