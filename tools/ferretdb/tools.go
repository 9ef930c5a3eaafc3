//go:build tools

// Package ferretdb pins the FerretDB version the tests run.
package ferretdb

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
