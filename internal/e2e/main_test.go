package e2e

import (
	"os"
	"testing"

	"github.com/walkerhost/walkerhost/internal/testenv"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopShared()
	os.Exit(code)
}
