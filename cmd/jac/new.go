package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
)

//go:embed template
var templates embed.FS

// templateFiles maps each template to the file it becomes.
var templateFiles = []struct{ tmpl, file string }{
	{"go.mod.tmpl", "go.mod"},
	{"main.go.tmpl", "main.go"},
	{"jac.toml.tmpl", "jac.toml"},
	{"README.md.tmpl", "README.md"},
	{"gitignore.tmpl", ".gitignore"},
}

var newCommand = command{
	name: "new", args: []string{"DIR"}, summary: "write a new guest folder, ready to build",
	about: "Writes a guest source folder DIR from the built-in template: go.mod, main.go (a public hello\n" +
		"walker and two walkers over Note nodes), jac.toml, README.md and .gitignore. Its go.mod\n" +
		"requires the SDK by its module path. Inside a walkerhost repository (or with --sdk) it replaces\n" +
		"it with that repository's sdk/, by a relative path; elsewhere jac build provides the SDK it\n" +
		"carries, so only jac and Go are needed.",
	setup: func(fs *flagSet) runner {
		var sdk string
		fs.str(&sdk, "sdk", "JAC_SDK", "the enclosing repository, else the SDK jac carries", "walkerhost repository holding sdk/ and abi/")
		return func(args []string, stdout, _ io.Writer) error { return runNew(args[0], sdk, stdout) }
	},
}

var guestName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// templateData fills the templates.
type templateData struct {
	Name, Module, Dir, SDK, ABI string
}

func runNew(dir, sdkFlag string, stdout io.Writer) error {
	name := filepath.Base(filepath.Clean(dir))
	if !guestName.MatchString(name) {
		return usageErr("%q is not a guest name: use lower-case letters, digits and _, starting with a letter", name)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s already exists and is not empty; choose a new folder", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	data := templateData{Name: name, Module: name, Dir: dir}
	repo, err := findSDK(sdkFlag, filepath.Dir(abs))
	switch {
	case err == nil:
		data.SDK, data.ABI = replacePath(abs, repo, "sdk"), replacePath(abs, repo, "abi")
	case sdkFlag != "":
		return err
	} // else no replace: jac build provides the SDK it carries
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s:\n", dir)
	for _, t := range templateFiles {
		if err := writeTemplate(filepath.Join(dir, t.file), t.tmpl, data); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %s\n", t.file)
	}
	fmt.Fprintf(stdout, "\nnext: jac start %s\n", dir)
	return nil
}

func writeTemplate(path, tmpl string, data templateData) error {
	src, err := fs.ReadFile(templates, "template/"+tmpl)
	if err != nil {
		return err
	}
	t, err := template.New(tmpl).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := t.Execute(f, data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// errNoSDK says how to point jac new at the SDK.
var errNoSDK = errors.New("cannot find the walker SDK: pass --sdk DIR (or set JAC_SDK) to the walkerhost repository, the folder holding sdk/ and abi/, or leave it out to use the SDK jac carries")

// findSDK returns the repository holding sdk/ and abi/: flag when given,
// else the first such folder above from or the current directory.
func findSDK(flag, from string) (string, error) {
	if flag != "" {
		if !isSDKRepo(flag) {
			return "", fmt.Errorf("--sdk %s: no sdk/go.mod and abi/go.mod there; %w", flag, errNoSDK)
		}
		return filepath.Abs(flag)
	}
	cwd, _ := os.Getwd()
	for _, start := range []string{from, cwd} {
		for d := start; ; d = filepath.Dir(d) {
			if isSDKRepo(d) {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "", errNoSDK
}

func isSDKRepo(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "sdk", "go.mod"))
	if err != nil || !strings.Contains(string(b), "module github.com/walkerhost/walkerhost/sdk") {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "abi", "go.mod"))
	return err == nil
}

// replacePath is the replace target of the module in repo/sub for a guest
// folder: a relative path, so that the generated files name no place on
// this machine (and a guest inside the repository moves with it).
func replacePath(guest, repo, sub string) string {
	if rel, err := filepath.Rel(guest, filepath.Join(repo, sub)); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(filepath.Join(repo, sub))
}
