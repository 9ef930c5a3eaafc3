package interp

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"math/big"
	"strings"
)

// uuidVal is a uuid.UUID.
type uuidVal struct{ b [16]byte }

type uuidKey [16]byte

func (u *uuidVal) String() string {
	h := hex.EncodeToString(u.b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newUUID4() *uuidVal {
	u := &uuidVal{}
	_, _ = rand.Read(u.b[:])
	u.b[6] = u.b[6]&0x0f | 0x40
	u.b[8] = u.b[8]&0x3f | 0x80
	return u
}

func parseUUID(s string) *uuidVal {
	t := strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"), "urn:uuid:")
	t = strings.ReplaceAll(t, "-", "")
	u := &uuidVal{}
	if len(t) != 32 {
		throw("ValueError", "badly formed hexadecimal UUID string")
	}
	if _, err := hex.Decode(u.b[:], []byte(t)); err != nil {
		throw("ValueError", "badly formed hexadecimal UUID string")
	}
	return u
}

// hashedUUID is uuid3 (MD5) or uuid5 (SHA-1) of a namespace and a name.
func hashedUUID(ns *uuidVal, name string, version byte) *uuidVal {
	var sum []byte
	if version == 3 {
		s := md5.Sum(append(ns.b[:], name...))
		sum = s[:]
	} else {
		s := sha1.Sum(append(ns.b[:], name...))
		sum = s[:]
	}
	u := &uuidVal{}
	copy(u.b[:], sum[:16])
	u.b[6] = u.b[6]&0x0f | version<<4
	u.b[8] = u.b[8]&0x3f | 0x80
	return u
}

func (c *call) uuidAttr(u *uuidVal, name string) Value {
	switch name {
	case "hex":
		return hex.EncodeToString(u.b[:])
	case "version":
		return int64(u.b[6] >> 4)
	case "int":
		return normBig(new(big.Int).SetBytes(u.b[:]))
	case "urn":
		return "urn:uuid:" + u.String()
	case "bytes":
		return string(u.b[:])
	}
	throw("AttributeError", "'UUID' object has no attribute '%s'", name)
	return nil
}

func init() {
	ns := func(s string) *uuidVal { return parseUUID(s) }
	uuidModule = mod("uuid", map[string]func(c *call, a []Value, kw *Dict) Value{
		"uuid4": func(c *call, a []Value, kw *Dict) Value { return newUUID4() },
		"uuid5": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "uuid5")
			return hashedUUID(a[0].(*uuidVal), str(a[1]), 5)
		},
		"uuid3": func(c *call, a []Value, kw *Dict) Value {
			need(a, 2, "uuid3")
			return hashedUUID(a[0].(*uuidVal), str(a[1]), 3)
		},
	}, map[string]Value{
		"NAMESPACE_DNS":  ns("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
		"NAMESPACE_URL":  ns("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
		"NAMESPACE_OID":  ns("6ba7b812-9dad-11d1-80b4-00c04fd430c8"),
		"NAMESPACE_X500": ns("6ba7b814-9dad-11d1-80b4-00c04fd430c8"),
	})
	t := &TypeObj{Name: "UUID", Fn: func(c *call, a []Value, kw *Dict) Value {
		if h, ok := arg(a, 0, kw, "hex", nil).(string); ok {
			return parseUUID(h)
		}
		throw("TypeError", "one of the hex, bytes, bytes_le, fields, or int arguments must be given")
		return nil
	}}
	typeObjs["UUID"] = t
	uuidModule.Attrs["UUID"] = t
}
