package interp

import (
	"math/big"
	"testing"
)

// Values drawn by CPython 3.12 after the same seeds.
func TestPyRandomMatchesCPython(t *testing.T) {
	r := &pyRandom{}
	r.seedInt(big.NewInt(42))
	if got := r.random(); got != 0.6394267984578837 {
		t.Errorf("seed(42); random() = %v, want 0.6394267984578837", got)
	}
	r.seedInt(big.NewInt(42))
	if got := []int64{r.randrange(1, 101, 1), r.randrange(1, 101, 1), r.randrange(1, 7, 1)}; got[0] != 82 || got[1] != 15 || got[2] != 1 {
		t.Errorf("seed(42); randint(1,100) x2, randint(1,6) = %v, want [82 15 1]", got)
	}
	r.seedStr("jac")
	if got := r.randrange(0, 1001, 1); got != 398 {
		t.Errorf(`seed("jac"); randint(0, 1000) = %d, want 398`, got)
	}
}
