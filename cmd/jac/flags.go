package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet is a command's flags. Every flag has an environment twin: a flag
// left off the command line takes the twin's value when it is set.
type flagSet struct {
	*flag.FlagSet
	cmd    command
	envs   map[string]string // flag name → environment name
	getenv func(string) string
}

func newFlagSet(c command, stderr io.Writer, getenv func(string) string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("jac "+c.name, flag.ContinueOnError), cmd: c,
		envs: map[string]string{}, getenv: getenv}
	fs.SetOutput(io.Discard) // run prints errors and usage itself
	return fs
}

// str registers a string flag with its environment twin; def, when not
// empty, is the default the help names (the value stays empty, so that
// config.Load can tell a given flag from a default).
func (fs *flagSet) str(p *string, name, env, def, help string) {
	help += " (env " + env
	if def != "" {
		help += "; default " + def
	}
	fs.StringVar(p, name, "", help+")")
	fs.envs[name] = env
}

// boolean registers a boolean flag with its environment twin, which takes
// the values strconv.ParseBool does.
func (fs *flagSet) boolean(p *bool, name, env, help string) {
	fs.BoolVar(p, name, false, help+" (env "+env+")")
	fs.envs[name] = env
}

// parse parses flags placed before, between or after the positional
// arguments, fills flags not given from their environment twins, and
// checks the number of positional arguments.
func (fs *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr("%v", err)
		}
		if args = fs.Args(); len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, env := range fs.envs {
		if v := fs.getenv(env); v != "" && !given[name] {
			if err := fs.Set(name, v); err != nil {
				return nil, usageErr("%s=%q: %v", env, v, err)
			}
		}
	}
	if want := fs.cmd.args; len(pos) < len(want) {
		return nil, usageErr("missing %s", want[len(pos)])
	} else if len(pos) > len(want) {
		return nil, usageErr("unexpected arguments %q", pos[len(want):])
	}
	return pos, nil
}

// usage writes the command's help: its synopsis, what it does, its flags.
func (fs *flagSet) usage(w io.Writer) {
	c := fs.cmd
	synopsis := strings.TrimSpace("jac " + c.name + " " + strings.Join(c.args, " "))
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		synopsis += " [flags]"
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis, c.about)
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}
