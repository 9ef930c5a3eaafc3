// Package graph is the host's persistent graph of typed nodes and edges,
// built on host/store.
//
// Every object belongs to an app and is owned by a root node; a caller acts
// for a root and sees what the permission ladder (docs/PERMISSIONS.md, Effective)
// lets it see. A request works in one Tx: its reads see its own writes, its
// writes are buffered and Commit applies them atomically.
//
// # Store layout
//
// Per app: bucket "obj" maps an ID to an encoded Object (AppendObject);
// bucket "adj" holds two adjacency entries per edge, node|'o'|edge and
// node|'i'|edge, each naming the edge type, the other node and its type, so
// that an edge query is one prefix scan in edge creation order; bucket
// "roots" lists root IDs; bucket "meta" holds the guest root's ID.
package graph
