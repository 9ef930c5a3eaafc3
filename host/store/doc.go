// Package store is the host's embedded key/value store: one bbolt file,
// data.db, in a data directory.
//
// Keys live in buckets named by (app, kind), so that several apps can share
// one host and one store without seeing each other's data. Transactions are
// ACID: View runs concurrently with other readers, Update and Batch run one
// writer at a time and commit all of their writes or none.
//
// docs/STORE.md at the repository root says why bbolt and what it costs.
package store
