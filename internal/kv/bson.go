package kv

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// fromDoc converts a BSON document to the map form of a value. Kinds
// without a value of their own become the nearest one: an ObjectId its hex
// string, a date its RFC 3339 text, a decimal its digits, binary data its
// bytes as a string.
func fromDoc(raw bson.Raw) (map[string]any, error) {
	elems, err := raw.Elements()
	if err != nil {
		return nil, err
	}
	m := make(map[string]any, len(elems))
	for _, e := range elems {
		v, err := fromValue(e.Value())
		if err != nil {
			return nil, err
		}
		m[e.Key()] = v
	}
	return m, nil
}

func fromValue(v bson.RawValue) (any, error) {
	switch v.Type {
	case bson.TypeNull, bson.TypeUndefined:
		return nil, nil
	case bson.TypeBoolean:
		return v.Boolean(), nil
	case bson.TypeInt32:
		return int64(v.Int32()), nil
	case bson.TypeInt64:
		return v.Int64(), nil
	case bson.TypeDouble:
		return v.Double(), nil
	case bson.TypeString:
		return v.StringValue(), nil
	case bson.TypeEmbeddedDocument:
		return fromDoc(v.Document())
	case bson.TypeArray:
		vals, err := v.Array().Values()
		if err != nil {
			return nil, err
		}
		l := make([]any, len(vals))
		for i, e := range vals {
			if l[i], err = fromValue(e); err != nil {
				return nil, err
			}
		}
		return l, nil
	case bson.TypeObjectID:
		return v.ObjectID().Hex(), nil
	case bson.TypeDateTime:
		return time.UnixMilli(v.DateTime()).UTC().Format(time.RFC3339Nano), nil
	case bson.TypeDecimal128:
		return v.Decimal128().String(), nil
	case bson.TypeBinary:
		_, data := v.Binary()
		return string(data), nil
	case bson.TypeTimestamp:
		t, _ := v.Timestamp()
		return int64(t), nil
	}
	return v.String(), nil
}
