package kubernetes

import "errors"

var (
	// ErrCluster is returned when the cluster cannot be reached or
	// configured.
	ErrCluster = errors.New("kubernetes: cluster")
	// ErrAutoscaled is returned by Scale when an autoscaler owns the
	// replica count.
	ErrAutoscaled = errors.New("kubernetes: replicas are autoscaled")
)
