package sdk

import (
	"errors"

	"github.com/walkerhost/walkerhost/abi"
)

// bindFields binds w's fields, applying defaults when asked: a value made
// for a request starts from its defaults, one made for the manifest does not
// need them.
func bindFields(w Fielder, defaults bool) *Fields {
	f := &Fields{defaults: defaults}
	w.Fields(f)
	return f
}

// rebind binds w's fields into f, reusing f's bindings from an earlier
// request, with defaults applied.
func (f *Fields) rebind(w Fielder) {
	f.list, f.defaults = f.list[:0], true
	w.Fields(f)
}

// setFromRecord assigns the values the record's field map gives; names the
// walker does not declare are ignored, as the host ignores unknown keys. It
// decodes each value straight into its binding. When a key repeats, the
// last value counts, and bindings are assigned in declaration order, so a
// request behaves as if its fields were first decoded into a map.
func (f *Fields) setFromRecord(r *record) error {
	b, list := r.fields, f.list
	for _, e := range r.entries {
		key := strAt(b, e.key)
		for i := range list {
			if list[i].name == string(key) {
				list[i].at = e.val
			}
		}
	}
	missing := -1 // the first required field not given; reported after any type error
	for i := range list {
		x := &list[i]
		if x.at != 0 {
			if err := x.decode(b, x.at); err != nil {
				return err
			}
		}
		if x.required && !x.set && missing < 0 {
			missing = i
		}
	}
	if missing >= 0 {
		return errMissing(list[missing].name)
	}
	return nil
}

func (f *Fields) checkRequired() error {
	for i := range f.list {
		if b := &f.list[i]; b.required && !b.set {
			return errMissing(b.name)
		}
	}
	return nil
}

func errMissing(name string) error { return errors.New("missing required field " + quote(name)) }

// appendTo appends the fields as a map in declaration order: a walker's
// result.
func (f *Fields) appendTo(b []byte) ([]byte, error) {
	b = putHead(b, abi.TagMap, uint32(len(f.list)))
	var err error
	for i := range f.list {
		b = putKey(b, f.list[i].name)
		if b, err = appendBinding(b, &f.list[i]); err != nil {
			return b, err
		}
	}
	return b, nil
}

// decls returns the declared fields, for the manifest.
func (f *Fields) decls() []field {
	fs := make([]field, len(f.list))
	for i := range f.list {
		fs[i] = f.list[i].field
	}
	return fs
}
