package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Problem is one thing wrong with a configuration, located in jac.toml
// (File, Line, Col) or in the environment (Env), with the key it concerns
// and what is wrong, which says how to fix it.
type Problem struct {
	File      string
	Line, Col int
	Env       string // the environment variable the value came from
	Key       string // dotted jac.toml key; empty for a file that does not parse
	Msg       string
}

func (p Problem) String() string {
	var where string
	switch {
	case p.Env != "":
		where = "environment " + p.Env
	case p.Line > 0:
		where = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	default:
		where = p.File
	}
	if p.Key == "" {
		return where + ": " + p.Msg
	}
	return where + ": " + p.Key + ": " + p.Msg
}

// sections are the jac.toml tables the host owns; unknown keys inside them
// are reported, other tables ([project], ...) belong to other tools, as
// do the tables of foreign inside them.
var sections = []string{"serve", "limits", "login", "logging", "plugins.scale"}

// foreign are the tables inside sections that other packages decode and
// check: the deploy settings (package deploy, docs/DEPLOY.md).
var foreign = []string{"plugins.scale.kubernetes"}

// Check loads the configuration like Load and reports every problem: a
// file that does not parse, unknown keys in the host's tables, values of
// the wrong type and values Validate refuses, each located where it was
// set. It backs jac validate; Load and Validate stay the fast path.
func Check(tomlPath string, getenv func(string) string) (Config, []Problem) {
	c := Default()
	raw, err := os.ReadFile(tomlPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return c, []Problem{{File: tomlPath, Msg: err.Error()}}
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		return c, []Problem{decodeProblem(tomlPath, err)}
	}
	keys := keyPositions(raw)
	at := func(key, msg string) Problem {
		p := keys.at[key]
		return Problem{File: tomlPath, Line: p.Line, Col: p.Column, Key: key, Msg: msg}
	}
	var probs []Problem
	var unknown []string
	for _, k := range keys.order {
		if !hasPrefix(k, unknown) {
			if msg := unknownKey(k); msg != "" {
				probs = append(probs, at(k, msg))
				unknown = append(unknown, k)
			}
		}
	}
	fromEnv := map[string]string{}
	for _, s := range settings() {
		if v, ok := lookup(tree, s.path); ok {
			if err := s.set(&c, v); err != nil {
				probs = append(probs, at(s.path, err.Error()))
			}
		}
		if v := getenv(s.env); v != "" {
			fromEnv[s.path] = s.env
			if err := s.set(&c, v); err != nil {
				probs = append(probs, Problem{Env: fmt.Sprintf("%s=%q", s.env, v), Key: s.path, Msg: err.Error()})
			}
		}
	}
	for _, r := range c.rules() {
		if r.ok {
			continue
		}
		msg := r.msg + " (" + envOf(r.key) + ")"
		switch {
		case fromEnv[r.key] != "":
			probs = append(probs, Problem{Env: fromEnv[r.key], Key: r.key, Msg: r.msg})
		case keys.has(r.key):
			probs = append(probs, at(r.key, r.msg))
		default:
			probs = append(probs, Problem{File: "default", Key: r.key, Msg: msg})
		}
	}
	return c, probs
}

// hasPrefix reports whether key is inside one of the tables.
func hasPrefix(key string, tables []string) bool {
	for _, t := range tables {
		if strings.HasPrefix(key, t+".") {
			return true
		}
	}
	return false
}

func decodeProblem(path string, err error) Problem {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		msg, _, _ := strings.Cut(de.Error(), "\n")
		return Problem{File: path, Line: row, Col: col, Key: strings.Join(de.Key(), "."), Msg: msg + "; see docs/CONFIG.md"}
	}
	return Problem{File: path, Msg: err.Error()}
}

// unknownKey is the message for a key inside one of the host's tables that
// is neither a setting nor a table holding settings; "" otherwise.
func unknownKey(key string) string {
	owned := false
	for _, sec := range sections {
		if key == sec || strings.HasPrefix(key, sec+".") || strings.HasPrefix(sec, key+".") {
			owned = true
		}
	}
	if !owned || slices.Contains(foreign, key) || hasPrefix(key, foreign) {
		return ""
	}
	best, dist := "", len(key)/2+1
	for _, s := range settings() {
		if s.path == key || strings.HasPrefix(s.path, key+".") {
			return ""
		}
		if d := editDistance(key, s.path); d < dist {
			best, dist = s.path, d
		}
	}
	if best != "" {
		return "unknown key; did you mean " + best + "?"
	}
	return "unknown key; docs/CONFIG.md lists the keys"
}

// positions maps each dotted key of a TOML document, tables included, to
// where it is first written; order lists them as they appear.
type positions struct {
	at    map[string]unstable.Position
	order []string
}

func (p positions) has(key string) bool { _, ok := p.at[key]; return ok }

func keyPositions(doc []byte) positions {
	ps := positions{at: map[string]unstable.Position{}}
	add := func(key string, pos unstable.Position) {
		if _, ok := ps.at[key]; !ok {
			ps.at[key] = pos
			ps.order = append(ps.order, key)
		}
	}
	var parser unstable.Parser
	parser.Reset(doc)
	var table []string
	for parser.NextExpression() {
		e := parser.Expression()
		parts, pos := keyParts(&parser, e.Key())
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = parts
			for i := range parts {
				add(strings.Join(parts[:i+1], "."), pos)
			}
		case unstable.KeyValue:
			full := append(append([]string(nil), table...), parts...)
			for i := len(table); i < len(full); i++ {
				add(strings.Join(full[:i+1], "."), pos)
			}
		}
	}
	return ps
}

// keyParts returns the parts of a dotted key and where it starts.
func keyParts(p *unstable.Parser, it unstable.Iterator) ([]string, unstable.Position) {
	var parts []string
	var pos unstable.Position
	for it.Next() {
		n := it.Node()
		if len(parts) == 0 {
			pos = p.Shape(n.Raw).Start
		}
		parts = append(parts, string(n.Data))
	}
	return parts, pos
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
