package interp

import (
	"crypto/sha512"
	"math"
	"math/big"
	"time"
)

// pyRandom is CPython's random.Random: the Mersenne Twister MT19937 with
// Python's seeding and derived functions, so that a seeded program draws
// the same numbers as under jaclang.
type pyRandom struct {
	mt  [624]uint32
	idx int
}

func (r *pyRandom) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.idx = 624
}

func (r *pyRandom) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := 624
	if len(key) > k {
		k = len(key)
	}
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = 623; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			r.mt[0] = r.mt[623]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
	r.idx = 624
}

func (r *pyRandom) uint32() uint32 {
	if r.idx >= 624 {
		for k := 0; k < 624; k++ {
			y := (r.mt[k] & 0x80000000) | (r.mt[(k+1)%624] & 0x7fffffff)
			v := r.mt[(k+397)%624] ^ (y >> 1)
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			r.mt[k] = v
		}
		r.idx = 0
	}
	y := r.mt[r.idx]
	r.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// seedInt is random.seed(n) for an int n.
func (r *pyRandom) seedInt(n *big.Int) {
	n = new(big.Int).Abs(n)
	var key []uint32
	mask := big.NewInt(0xffffffff)
	for n.Sign() > 0 {
		key = append(key, uint32(new(big.Int).And(n, mask).Uint64()))
		n = new(big.Int).Rsh(n, 32)
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	r.initByArray(key)
}

// seedStr is random.seed(s) for a str (version 2: s's bytes and their SHA-512).
func (r *pyRandom) seedStr(s string) {
	sum := sha512.Sum512([]byte(s))
	r.seedInt(new(big.Int).SetBytes(append([]byte(s), sum[:]...)))
}

func (r *pyRandom) random() float64 {
	a, b := r.uint32()>>5, r.uint32()>>6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

func (r *pyRandom) getrandbits(k int) uint64 {
	if k <= 32 {
		return uint64(r.uint32() >> (32 - k))
	}
	lo := uint64(r.uint32())
	hi := uint64(r.uint32() >> (64 - k))
	return hi<<32 | lo
}

// below is Random._randbelow_with_getrandbits.
func (r *pyRandom) below(n int64) int64 {
	if n <= 0 {
		throw("ValueError", "empty range for randrange()")
	}
	k := 0
	for v := n; v > 0; v >>= 1 {
		k++
	}
	x := int64(r.getrandbits(k))
	for x >= n {
		x = int64(r.getrandbits(k))
	}
	return x
}

func (r *pyRandom) randrange(start, stop, step int64) int64 {
	width := stop - start
	if step == 1 {
		if width <= 0 {
			throw("ValueError", "empty range for randrange() (%d, %d, %d)", start, stop, width)
		}
		return start + r.below(width)
	}
	var n int64
	switch {
	case step > 0:
		n = (width + step - 1) / step
	case step < 0:
		n = (width + step + 1) / step
	default:
		throw("ValueError", "zero step for randrange()")
	}
	if n <= 0 {
		throw("ValueError", "empty range for randrange()")
	}
	return start + step*r.below(n)
}

func (r *pyRandom) sample(pop []Value, k int) []Value {
	n := len(pop)
	if k < 0 || k > n {
		throw("ValueError", "Sample larger than population or is negative")
	}
	result := make([]Value, k)
	setsize := 21
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(math.Log(float64(k*3))/math.Log(4))))
	}
	if n <= setsize {
		pool := append([]Value(nil), pop...)
		for i := 0; i < k; i++ {
			j := r.below(int64(n - i))
			result[i] = pool[j]
			pool[j] = pool[n-i-1]
		}
		return result
	}
	selected := map[int64]bool{}
	for i := 0; i < k; i++ {
		j := r.below(int64(n))
		for selected[j] {
			j = r.below(int64(n))
		}
		selected[j] = true
		result[i] = pop[j]
	}
	return result
}

func newPyRandom() *pyRandom {
	r := &pyRandom{}
	r.seedInt(big.NewInt(time.Now().UnixNano()))
	return r
}
