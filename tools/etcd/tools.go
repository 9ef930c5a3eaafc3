//go:build tools

// Package etcd pins the etcd version the tests run.
package etcd

import _ "go.etcd.io/etcd/server/v3"
