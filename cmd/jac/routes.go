package main

import "io"

var routesCommand = command{
	name: "routes", args: []string{"APP"}, summary: "print the route table of a module",
	about: "Loads APP, a .wasm module or a guest source folder (built first), and prints the routes a\n" +
		"host would serve, with their method, path, auth (public, protected, api_key) and kind, without\n" +
		"serving or opening the data directory.",
	setup: func(fs *flagSet) runner {
		var f hostFlags
		f.registerConfig(fs)
		return func(args []string, stdout, stderr io.Writer) error {
			app := args[0]
			cfg, err := f.load(app)
			if err != nil {
				return err
			}
			_, routes, err := describeApp(app, cfg, stderr)
			if err != nil {
				return err
			}
			printRoutes(stdout, routes)
			return nil
		}
	},
}
