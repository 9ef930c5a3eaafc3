package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/walkerhost/walkerhost/sdk"
)

// Echo declares one field of each kind and reports nothing: its result is
// its fields, in declaration order (ABI.md "Request record", "Values").
type Echo struct {
	S   string
	I   int
	I64 int64
	F   float64
	B   bool
	L   []any
	O   map[string]any
	A   any
	OS  *string
	OB  *bool
	OI  *int
	OF  *float64
	SL  []string
}

func (w *Echo) Fields(f *sdk.Fields) {
	f.String("s", &w.S).Required()
	f.Int("i", &w.I).Default(7)
	f.Int64("i64", &w.I64)
	f.Float("f", &w.F).Default(1.5)
	f.Bool("b", &w.B).Default(true)
	f.List("l", &w.L).Default([]any{"x"})
	f.Object("o", &w.O)
	f.Any("a", &w.A)
	f.OptString("os", &w.OS)
	f.OptBool("ob", &w.OB)
	f.OptInt("oi", &w.OI)
	f.OptFloat("of", &w.OF)
	f.StringList("sl", &w.SL)
}

var _ = sdk.Walker("echo", func() *Echo { return new(Echo) }).
	OnRoot(func(w *Echo, v *sdk.Visit) error {
		w.L = append(w.L, "walked")
		return nil
	})

// Say reports its value and logs its message, through the log import and
// through stdout (WASI fd_write), both of which reach the host's log.
type Say struct {
	Value   any
	Message string
}

func (w *Say) Fields(f *sdk.Fields) {
	f.Any("value", &w.Value)
	f.String("message", &w.Message)
}

var _ = sdk.Walker("say", func() *Say { return new(Say) }).
	OnRoot(func(w *Say, v *sdk.Visit) error {
		if w.Message != "" {
			sdk.Log(sdk.LevelWarn, w.Message)
			fmt.Println("stdout: " + w.Message)
		}
		if err := v.Report(w.Value); err != nil {
			return err
		}
		return v.Report(map[string]any{"nested": []any{w.Value, v.Root()}})
	})

// Fail fails as the ABI's walker_handle statuses say: with an error
// (StatusFailed), a client error (StatusFailed with a status map), or a
// panic (StatusPanicked).
type Fail struct {
	How     string
	Status  int
	Message string
}

func (w *Fail) Fields(f *sdk.Fields) {
	f.String("how", &w.How).Required()
	f.Int("status", &w.Status)
	f.String("message", &w.Message)
}

var _ = sdk.Walker("fail", func() *Fail { return new(Fail) }).
	OnRoot(func(w *Fail, v *sdk.Visit) error {
		if err := v.Report("before"); err != nil {
			return err
		}
		switch w.How {
		case "error":
			return errors.New(w.Message)
		case "client":
			return sdk.Fail(w.Status, w.Message)
		case "panic":
			panic(w.Message)
		}
		return nil
	})

// Calls makes n calls of now, the cheapest host call, and reports the
// first and the last time it read (ABI.md "Support", "Errors": host
// calls per request are limited).
type Calls struct{ N int }

func (w *Calls) Fields(f *sdk.Fields) { f.Int("n", &w.N).Default(1) }

var _ = sdk.Walker("now", func() *Calls { return new(Calls) }).
	OnRoot(func(w *Calls, v *sdk.Visit) error {
		first := sdk.Now()
		last := first
		for i := 1; i < w.N; i++ {
			last = sdk.Now()
		}
		return v.Report(map[string]any{"first": first, "last": last, "ordered": last >= first})
	})

// Digest hashes its text with crypto/sha256 (which links package os, so
// the module imports the WASI functions os needs) and reads random bytes
// (random_get).
type Digest struct{ Text string }

func (w *Digest) Fields(f *sdk.Fields) { f.String("text", &w.Text) }

var _ = sdk.Walker("digest", func() *Digest { return new(Digest) }).
	OnRoot(func(w *Digest, v *sdk.Visit) error {
		sum := sha256.Sum256([]byte(w.Text))
		var r [16]byte
		_, err := rand.Read(r[:])
		return v.Report(map[string]any{"sha256": hex.EncodeToString(sum[:]), "random": err == nil && r != [16]byte{}})
	})

// Secret is private: no route, but a walker of the module may spawn it.
type Secret struct{ Word string }

func (w *Secret) Fields(f *sdk.Fields) { f.String("word", &w.Word).Default("psst") }

var _ = sdk.Walker("secret", func() *Secret { return new(Secret) }).
	Private().
	OnRoot(func(w *Secret, v *sdk.Visit) error { return v.Report(w.Word) })

var _ = sdk.Walker("tell", newEmpty).
	Public().Method("GET").Path("/tell/secret").
	OnRoot(func(_ *Empty, v *sdk.Visit) error { return v.Spawn("secret", v.Here()) })

// AddArgs are the arguments of add.
type AddArgs struct{ A, B int }

func (a *AddArgs) Fields(f *sdk.Fields) {
	f.Int("a", &a.A).Required()
	f.Int("b", &a.B).Required()
}

var _ = sdk.Function("add", func() *AddArgs { return new(AddArgs) }, func(a *AddArgs) (any, error) {
	return a.A + a.B, nil
}).Returns(sdk.TypeInt).Public()
