package sandbox

import (
	"encoding/hex"
	"slices"
)

// appendWarnings appends `,"warnings":[...]` to a payload: one
// {"code":"PERMISSION_DENIED","op":...,"node":...} per denial the Tx recorded
// during the call that the guest did not take with error_take (docs/API.md "Walkers and functions",
// abi/ABI.md "Permissions"). It appends nothing when there are none, and then
// allocates nothing.
func (s *session) appendWarnings(dst []byte) []byte {
	all := s.tx.Denials()
	if len(all) <= s.denialBase {
		return dst
	}
	open := false
	for i, d := range all[s.denialBase:] {
		if slices.Contains(s.handled, i) {
			continue
		}
		if !open {
			dst = append(dst, `,"warnings":[`...)
			open = true
		} else {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"code":"PERMISSION_DENIED","op":"`...)
		dst = append(dst, d.Op...) // a fixed lowercase name
		dst = append(dst, `","node":"`...)
		dst = hex.AppendEncode(dst, d.Object[:])
		dst = append(dst, `"}`...)
	}
	if open {
		dst = append(dst, ']')
	}
	return dst
}
