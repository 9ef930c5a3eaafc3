package deploy

import (
	"testing"
)

// FuzzName checks that any module name gives an app name the settings
// accept as APP_NAME, or an error.
func FuzzName(f *testing.F) {
	for _, s := range []string{"todo", "shared_notes", "Ünïcode", "--", "a.b.c", "x" + string(rune(0))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, module string) {
		name, err := Name(DefaultConfig(), module)
		if err != nil {
			return
		}
		cfg := DefaultConfig()
		cfg.AppName = name
		if err := cfg.Validate(); err != nil {
			t.Fatalf("module %q gave app name %q, which is refused: %v", module, name, err)
		}
	})
}
