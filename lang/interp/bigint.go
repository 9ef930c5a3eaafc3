package interp

import (
	"math"
	"math/big"
)

// Ints are int64 until an operation overflows; then the result is a
// *big.Int, which goes back to int64 as soon as it fits again. So Jac
// programs see Python's arbitrary-precision ints while the common case
// stays a machine word.

func toBig(v Value) (*big.Int, bool) {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x), true
	case bool:
		return big.NewInt(b2i(x)), true
	case *big.Int:
		return x, true
	}
	return nil, false
}

func normBig(b *big.Int) Value {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

func bigFloat(b *big.Int) float64 {
	f, _ := new(big.Float).SetInt(b).Float64()
	return f
}

// bigBinary is an operation on ints of which one at least is big (or
// whose int64 result overflowed); ok is false if op is no int operation.
func (c *call) bigBinary(op string, x, y *big.Int) (Value, bool) {
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(x, y)
	case "-":
		r.Sub(x, y)
	case "*":
		r.Mul(x, y)
	case "//", "%":
		if y.Sign() == 0 {
			throw("ZeroDivisionError", "integer division or modulo by zero")
		}
		q, m := new(big.Int).DivMod(x, y, new(big.Int)) // Euclidean: m >= 0
		if m.Sign() != 0 && y.Sign() < 0 {
			q.Add(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == "//" {
			return normBig(q), true
		}
		return normBig(m), true
	case "/":
		if y.Sign() == 0 {
			throw("ZeroDivisionError", "division by zero")
		}
		f, _ := new(big.Rat).SetFrac(x, y).Float64()
		return f, true
	case "**":
		if y.Sign() < 0 {
			return math.Pow(bigFloat(x), bigFloat(y)), true
		}
		if y.BitLen() > 32 || (x.BitLen() > 1 && int64(x.BitLen())*y.Int64() > 1<<22) {
			throw("OverflowError", "integer too large")
		}
		r.Exp(x, y, nil)
	case "&":
		r.And(x, y)
	case "|":
		r.Or(x, y)
	case "^":
		r.Xor(x, y)
	case "<<":
		if y.Sign() < 0 {
			throw("ValueError", "negative shift count")
		}
		if y.BitLen() > 22 {
			throw("OverflowError", "integer too large")
		}
		r.Lsh(x, uint(y.Int64()))
	case ">>":
		if y.Sign() < 0 {
			throw("ValueError", "negative shift count")
		}
		if y.BitLen() > 31 {
			if x.Sign() < 0 {
				return int64(-1), true
			}
			return int64(0), true
		}
		r.Rsh(x, uint(y.Int64()))
	default:
		return nil, false
	}
	return normBig(r), true
}

// bigOperands converts a pair where one is a *big.Int.
func bigOperands(a, b Value) (x, y *big.Int, fx, fy float64, kind int) {
	_, aBig := a.(*big.Int)
	_, bBig := b.(*big.Int)
	if !aBig && !bBig {
		return nil, nil, 0, 0, 0
	}
	x, okx := toBig(a)
	y, oky := toBig(b)
	if okx && oky {
		return x, y, 0, 0, 1
	}
	if okx {
		if f, ok := b.(float64); ok {
			return nil, nil, bigFloat(x), f, 2
		}
	}
	if oky {
		if f, ok := a.(float64); ok {
			return nil, nil, f, bigFloat(y), 2
		}
	}
	return nil, nil, 0, 0, 0
}
