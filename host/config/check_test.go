package config

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, toml string
		env        map[string]string
		want       []string // Problem.String() without the file path
	}{
		{"valid", "[serve]\nport = 9000\n[project]\nanything = 1\n", nil, nil},
		{"unknown key with a suggestion", "[serve]\nprot = 9000\n", nil, []string{":2:1: serve.prot: unknown key; did you mean serve.port?"}},
		{"unknown dotted key", "[limits]\nmemory.mb = 64\n", nil, []string{":2:1: limits.memory: unknown key; did you mean limits.memory_mb?"}},
		{"unknown table", "[loging]\nformat = \"json\"\n", nil, nil},
		{"unknown key in a known table header", "[plugins.scale.jwt]\nalgorithms = \"HS512\"\n", nil, []string{":2:1: plugins.scale.jwt.algorithms: unknown key; did you mean plugins.scale.jwt.algorithm?"}},
		{"wrong type", "[serve]\n\nport = \"eighty\"\n", nil, []string{":3:1: serve.port: want an integer"}},
		{"out of range", "[limits]\nmemory_mb = 1\npool_size = 0\n", nil, []string{":2:1: limits.memory_mb: must be 4..4096 (a Go guest needs about 3 MiB to start)", ":3:1: limits.pool_size: must be at least 1"}},
		{"quotas and cores out of range", "[serve]\nlong_call_cores = -1\n[limits]\nstorage_mb = -5\nkv_value_bytes = 10\n", nil, []string{
			":2:1: serve.long_call_cores: must not be negative", ":4:1: limits.storage_mb: must not be negative", ":5:1: limits.kv_value_bytes: must be at least 64"}},
		{"connection limits out of range", "[serve]\nmax_connections = -1\nmax_connections_per_ip = -2\nheader_timeout = \"10ms\"\nidle_timeout = 0\n[limits]\nstream_buffer_bytes = 100\n", nil, []string{
			":2:1: serve.max_connections: must not be negative", ":3:1: serve.max_connections_per_ip: must not be negative",
			":4:1: serve.header_timeout: must be at least 100ms", ":5:1: serve.idle_timeout: must be at least 100ms", ":7:1: limits.stream_buffer_bytes: must be at least 1024"}},
		{"from the environment", "", map[string]string{"JAC_LOG_FORMAT": "xml"}, []string{`environment JAC_LOG_FORMAT: logging.format: must be text or json`}},
		{"bad environment value", "", map[string]string{"JAC_PORT": "x"}, []string{`environment JAC_PORT="x": serve.port: want an integer`}},
		{"does not parse", "[serve]\nport = = 1\n", nil, []string{":2:8: toml: unexpected character"}},
		{"far from any key", "[serve]\nzzzzzzzzzz = 1\n", nil, []string{":2:1: serve.zzzzzzzzzz: unknown key; docs/CONFIG.md lists the keys"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTOML(t, tc.toml)
			_, probs := Check(path, envMap(tc.env))
			if len(probs) != len(tc.want) {
				t.Fatalf("problems %v, want %d: %q", probs, len(tc.want), tc.want)
			}
			for i, p := range probs {
				got := strings.TrimPrefix(p.String(), path)
				if !strings.HasPrefix(got, tc.want[i]) {
					t.Errorf("problem %d = %q, want %q", i, got, tc.want[i])
				}
			}
		})
	}
}

// FuzzCheck feeds Check arbitrary documents: it must report, never panic,
// and every problem it locates must be inside the document.
func FuzzCheck(f *testing.F) {
	f.Add("[serve]\nport = 9000\n")
	f.Add("[limits]\nmemory.mb = 64\n[plugins.scale.jwt]\nalgorithms = 1\n")
	f.Add("a = { b = 1 }\n[[serve]]\nx = 1\n")
	f.Fuzz(func(t *testing.T, doc string) {
		path := writeTOML(t, doc)
		_, probs := Check(path, envMap(nil))
		lines := strings.Count(doc, "\n") + 1
		for _, p := range probs {
			if p.Line > lines {
				t.Fatalf("problem %v past the last line %d", p, lines)
			}
		}
	})
}
