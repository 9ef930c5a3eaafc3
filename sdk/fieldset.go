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

// setFrom assigns the values a request gives; names the walker does not
// declare are ignored, as the host ignores unknown keys.
func (f *Fields) setFrom(m map[string]any) error {
	for i := range f.list {
		b := &f.list[i]
		if v, ok := m[b.name]; ok {
			if err := b.assign(v); err != nil {
				return err
			}
		}
	}
	return f.checkRequired()
}

func (f *Fields) checkRequired() error {
	for i := range f.list {
		if b := &f.list[i]; b.required && !b.set {
			return errors.New("missing required field " + quote(b.name))
		}
	}
	return nil
}

// appendTo appends the fields as a map in declaration order: a walker's
// result.
func (f *Fields) appendTo(b []byte) ([]byte, error) {
	b = abi.AppendMapHeader(b, len(f.list))
	var err error
	for i := range f.list {
		b = abi.AppendStr(b, f.list[i].name)
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
