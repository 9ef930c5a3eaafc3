package main

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/walkerhost/walkerhost/sdk"
)

// DigestArgs are the arguments of the digest function.
type DigestArgs struct{ Text string }

func (a *DigestArgs) Fields(f *sdk.Fields) { f.String("text", &a.Text).Required() }

// digest answers the SHA-256 of text in hex: the standard library's crypto
// and encoding packages work in a walker module.
var _ = sdk.Function("digest", func() *DigestArgs { return new(DigestArgs) }, func(a *DigestArgs) (any, error) {
	sum := sha256.Sum256([]byte(a.Text))
	return hex.EncodeToString(sum[:]), nil
}).Public().Returns(sdk.TypeString)
