// Command v1 is version 1 of a guest whose walker "version" reports which
// version it is, so that tests can tell the versions of an app apart when
// they are swapped under load.
package main

import "github.com/walkerhost/walkerhost/sdk"

func main() {}

const version = "v1"

// Version has no fields.
type Version struct{}

func (w *Version) Fields(*sdk.Fields) {}

var _ = sdk.Walker("version", func() *Version { return new(Version) }).
	Public().
	OnRoot(func(_ *Version, v *sdk.Visit) error { return v.Report(version) })
