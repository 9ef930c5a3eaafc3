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

func TestPerAddressCap(t *testing.T) {
	for _, tc := range []struct{ perIP, total, want int }{
		{1000, 50_000, 1000}, // the default on a machine with many files
		{1000, 768, 384},     // a low file limit: half the total
		{0, 768, 0},          // no per-address cap
		{10, 1, 1},           // never below one
	} {
		if got := perAddressCap(tc.perIP, tc.total); got != tc.want {
			t.Errorf("perAddressCap(%d, %d) = %d, want %d", tc.perIP, tc.total, got, tc.want)
		}
	}
}
