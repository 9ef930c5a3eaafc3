package main

import "github.com/walkerhost/walkerhost/sdk"

// served counts the calls this instance has answered. A package variable
// lives as long as the instance: with pooled instances it keeps counting
// across requests, with the host's fresh_state it is 1 on every call.
var served int

// NoArgs is the argument list of a function that takes none.
type NoArgs struct{}

func (*NoArgs) Fields(*sdk.Fields) {}

var _ = sdk.Function("calls", func() *NoArgs { return new(NoArgs) }, func(*NoArgs) (any, error) {
	served++
	return served, nil
}).Public().Returns(sdk.TypeInt)
