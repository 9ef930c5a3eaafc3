package kv_test

import (
	"strconv"
	"testing"

	"github.com/walkerhost/walkerhost/abi"
	"github.com/walkerhost/walkerhost/internal/kv"
)

// BenchmarkStores measures one operation per kind against the real servers
// on loopback: the host's cost on top of a round trip.
func BenchmarkStores(b *testing.B) {
	r, m := startServers(b)
	s := kv.New(kv.Options{RedisURL: r.URL, MongoURI: m.URL})
	defer s.Close(b.Context())
	value := map[string]any{"name": "ada", "tags": []any{"a", "b"}, "n": int64(3)}
	for _, kind := range []string{abi.KindRedis, abi.KindMongoDB} {
		st, err := s.Open("bench", kind, "db", "", 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Set(b.Context(), "k", value); err != nil {
			b.Fatal(err)
		}
		b.Run(kind+"/get", func(b *testing.B) {
			for b.Loop() {
				if _, err := st.Get(b.Context(), "k"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(kind+"/set", func(b *testing.B) {
			for b.Loop() {
				if err := st.Set(b.Context(), "k", value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	mg, _ := s.Open("bench", abi.KindMongoDB, "db", "", 0)
	for i := range 100 {
		if _, err := mg.(*kv.Mongo).InsertOne(b.Context(), "c", map[string]any{"_id": strconv.Itoa(i), "n": int64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	filter := map[string]any{"n": map[string]any{"$gte": int64(10), "$lt": int64(20)}}
	b.Run("mongodb/find_10_of_100", func(b *testing.B) {
		for b.Loop() {
			docs, err := mg.(*kv.Mongo).Find(b.Context(), "c", filter, kv.FindOptions{}, 1<<20)
			if err != nil || len(docs) != 10 {
				b.Fatal(len(docs), err)
			}
		}
	})
	b.Run("filter_parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := kv.Filter(filter); err != nil {
				b.Fatal(err)
			}
		}
	})
}
