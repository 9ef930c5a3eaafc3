package manifest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fasthttp/router"
	"github.com/walkerhost/walkerhost/abi"
)

// entries writes a manifest of walkers given as "METHOD /path name" (an
// empty path takes the default one) and functions as "fn METHOD /path name".
func entries(decls ...string) string {
	var ws, fs []string
	for _, d := range decls {
		f := strings.Fields(d)
		list := &ws
		if f[0] == "fn" {
			list, f = &fs, f[1:]
		}
		path, extra := f[1], ""
		if path == "-" {
			path = ""
		}
		if len(f) > 3 {
			extra = `,"webhook":true`
		}
		*list = append(*list, fmt.Sprintf(`{"name":%q,"access":"public","method":%q,"path":%q,"fields":[]%s}`, f[2], f[0], path, extra))
	}
	return fmt.Sprintf(`{"abi":1,"walkers":[%s],"functions":[%s]}`, strings.Join(ws, ","), strings.Join(fs, ","))
}

func TestCheckRoutes(t *testing.T) {
	tests := []struct {
		name  string
		decls []string
		want  string // empty: accepted
	}{
		{"host route", []string{"GET /healthz x"}, `walker "x" route GET /healthz clashes with the host route GET /healthz`},
		{"host route, function", []string{"fn POST /user/login f"}, `function "f" route POST /user/login clashes with the host route POST /user/login`},
		{"same method and path", []string{"POST /dup a", "POST /dup b"}, `walker "b" route POST /dup clashes with walker "a" route POST /dup`},
		{"walker and function", []string{"POST /x a", "fn POST /x f"}, `function "f" route POST /x clashes with walker "a" route POST /x`},
		{"default path taken", []string{"POST /walker/b a", "POST - b"}, `walker "b" route POST /walker/b clashes with walker "a" route POST /walker/b`},
		{"trailing slash", []string{"GET /healthz/ x"}, `walker "x" route GET /healthz/ clashes with the host route GET /healthz`},
		{"host wildcard", []string{"GET /sso/google/login x"}, `walker "x" route GET /sso/google/login clashes with the host route GET /sso/{platform}/{action}`},
		{"wildcard names", []string{"DELETE /api-key x"}, `walker "x" route DELETE /api-key/{node_id} clashes with the host route DELETE /api-key/{api_key_id}`},
		{"docs assets", []string{"GET /docs x"}, `walker "x" route GET /docs clashes with the host route GET /docs`},
		{"admin prefix", []string{"POST /admin/x x"}, `walker "x" route POST /admin/x clashes with the host routes under /admin/`},
		{"apps prefix", []string{"POST /apps x"}, `walker "x" route POST /apps/{node_id} clashes with the host routes under /apps/`},
		{"webhook", []string{"POST /webhook/h x", "POST - h w"}, `walker "h" route POST /webhook/h clashes with walker "x" route POST /webhook/h`},
		{"other method", []string{"POST /healthz x", "PUT /traverse y"}, ""},
		{"same path, other methods", []string{"GET /x a", "POST /x b", "fn DELETE /x f"}, ""},
		{"root walker", []string{"GET / x"}, ""},
		{"static beside a walker's node path", []string{"GET /walker/a/b b", "GET - a"}, ""},
		{"private entries have no route", []string{"GET /healthz x private"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := entries(tc.decls...)
			if strings.HasSuffix(tc.decls[0], " private") {
				in = `{"abi":1,"walkers":[{"name":"x","access":"private","method":"GET","path":"/healthz","fields":[]}]}`
			}
			_, err := Parse([]byte(in))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (!errors.Is(err, ErrInvalid) || !strings.HasSuffix(err.Error(), ": "+tc.want)):
				t.Fatalf("got %v, want ErrInvalid ending in %q", err, tc.want)
			}
		})
	}
}

// serve registers the host's routes and m's on a router as the server
// does, and returns its panic, if any.
func serve(m *abi.Manifest) (msg string) {
	rt := router.New()
	routes := append([]Route(nil), HostRoutes...)
	for i := range m.Walkers {
		routes = append(routes, EntryRoutes(&m.Walkers[i], abi.KindWalker)...)
	}
	for i := range m.Functions {
		routes = append(routes, EntryRoutes(&m.Functions[i], abi.KindFunction)...)
	}
	return add(rt, routes...)
}

// FuzzCheckRoutes: the router takes the routes of every manifest Parse
// accepts.
func FuzzCheckRoutes(f *testing.F) {
	f.Add("GET", "/healthz", "POST", "/x")
	f.Add("GET", "/a", "GET", "/a/b")
	f.Add("DELETE", "/api-key", "PUT", "/")
	f.Fuzz(func(t *testing.T, m1, p1, m2, p2 string) {
		in := fmt.Sprintf(`{"abi":1,"walkers":[{"name":"a","access":"public","method":%q,"path":%q,"fields":[]}],"functions":[{"name":"b","access":"public","method":%q,"path":%q,"fields":[]}]}`, m1, p1, m2, p2)
		m, err := Parse([]byte(in))
		if err != nil {
			return
		}
		if msg := serve(m); msg != "" {
			t.Fatalf("accepted, but the router refuses it: %s", msg)
		}
	})
}
