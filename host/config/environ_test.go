package config

import "testing"

// TestChanged_RoundTrip checks that every setting's getter gives back
// what its setter took, so the pods get the values the deploy read.
func TestChanged_RoundTrip(t *testing.T) {
	env := map[string]string{}
	for _, s := range settings() {
		if s.env == "JAC_RESPONSE_HEADERS" { // a JSON object
			env[s.env] = `{"X-A":"x","X-B":"y"}`
			continue
		}
		switch s.val.get(&Config{}) {
		case "0":
			env[s.env] = "7"
		case "false":
			env[s.env] = "true"
		case "0s":
			env[s.env] = "1m30s"
		default:
			env[s.env] = "x-" + s.env
		}
	}
	c, err := Load("", envMap(env))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings() {
		if got := s.val.get(&c); got != env[s.env] {
			t.Errorf("%s: got %q back, set %q", s.env, got, env[s.env])
		}
	}
}
