package host

import "github.com/walkerhost/walkerhost/internal/graph"

// Graph returns the host's graph, for tools that build data through the
// store API instead of over HTTP (the scale benchmark).
func (h *Host) Graph() *graph.Graph { return h.graph }
