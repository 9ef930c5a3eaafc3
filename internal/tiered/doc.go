// Package tiered is the store backend shared by several host processes: an
// in-process cache (L1) in front of Redis (L2) in front of MongoDB (L3).
//
// MongoDB holds the data durably: every commit is first written as one
// commit record (a single insert, so all of a commit's writes become
// durable together), then applied to one document per key. Redis holds the
// commit lock that orders writers across hosts, a copy of recently used
// values, and a stream of the keys each commit changed, which every host
// reads before trusting its L1. docs/STORE.md describes the design, the
// document schema, the keys and the guarantees.
package tiered
