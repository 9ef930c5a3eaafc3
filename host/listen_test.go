package host

import "testing"

func TestConnectionCap(t *testing.T) {
	tests := []struct {
		files uint64
		want  int
	}{
		{0, 1},
		{64, 1},
		{65, 1},
		{256, 192},
		{1024, 768},
		{1 << 20, maxDerivedConns},
	}
	for _, tc := range tests {
		if got := connectionCap(tc.files); got != tc.want {
			t.Errorf("connectionCap(%d) = %d, want %d", tc.files, got, tc.want)
		}
	}
}
