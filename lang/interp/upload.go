package interp

// Upload is an uploaded file among the plain values a Host hands in (the
// value of a walker or function field of type UploadFile). Jac code sees
// it as jac-scale's UploadFile: filename, content_type, size, file (a
// readable file object) and read(). Its bytes stay with the host until the
// program reads them, and store().upload of a file not yet read hands the
// Upload itself back to the host, so that the bytes go straight to storage.
type Upload struct {
	Name, ContentType string
	Size              int64
	// Read returns the whole file; called once, when the program first reads it.
	Read func() ([]byte, error)
	// Ref is the host's own handle of the file, for the host's use when
	// the Upload comes back to it.
	Ref any
}

// uploadFile is an UploadFile object. Its file object (.file) shares its
// position, as a Starlette UploadFile and its file do.
type uploadFile struct {
	u      *Upload
	data   []byte
	loaded bool
	pos    int64
}

// uploadStream is the file object of an UploadFile (its .file).
type uploadStream struct{ f *uploadFile }

func (f *uploadFile) bytes() []byte {
	if !f.loaded {
		if f.u.Read == nil {
			throw("OSError", "the uploaded file cannot be read")
		}
		b, err := f.u.Read()
		hostErr(err)
		f.data, f.loaded = b, true
	}
	return f.data
}

// read is file.read(size=-1): the next size bytes, or all that are left.
func (f *uploadFile) read(a []Value, kw *Dict) Value {
	b := f.bytes()
	start := min(f.pos, int64(len(b)))
	end := int64(len(b))
	if n, ok := arg(a, 0, kw, "size", int64(-1)).(int64); ok && n >= 0 {
		end = min(end, start+n)
	}
	f.pos = end
	return Bytes(b[start:end])
}

func (f *uploadFile) seek(a []Value, kw *Dict) Value {
	n, ok := arg(a, 0, kw, "offset", nil).(int64)
	if !ok || n < 0 {
		throw("ValueError", "seek() needs a non-negative offset")
	}
	f.pos = n
	return n
}

// source is what store().upload gets for the file: the Upload itself while
// nothing has been read, else the bytes left, which the upload consumes.
func (f *uploadFile) source() Value {
	if f.pos == 0 {
		f.pos = f.u.Size
		return f.u
	}
	return []byte(f.read(nil, nil).(Bytes))
}

func (f *uploadFile) method(name string, fn func(a []Value, kw *Dict) Value) Value {
	return &Builtin{Name: name, Fn: func(c *call, a []Value, kw *Dict) Value { return fn(a, kw) }}
}

func (c *call) uploadAttr(f *uploadFile, name string) Value {
	switch name {
	case "filename":
		return f.u.Name
	case "content_type":
		return f.u.ContentType
	case "size":
		return f.u.Size
	case "headers":
		d := NewDict()
		d.Set("content-type", f.u.ContentType)
		return d
	case "file":
		return &uploadStream{f}
	}
	return c.fileMethod(f, "UploadFile", name)
}

func (c *call) streamAttr(s *uploadStream, name string) Value {
	if name == "tell" {
		return s.f.method(name, func([]Value, *Dict) Value { return s.f.pos })
	}
	return c.fileMethod(s.f, "SpooledTemporaryFile", name)
}

// fileMethod is the methods an UploadFile and its file share. jac-scale's
// UploadFile.read is a coroutine; here it runs where it is called, so both
// `f.read()` and `await f.read()` give the bytes.
func (c *call) fileMethod(f *uploadFile, typ, name string) Value {
	switch name {
	case "read":
		return f.method(name, f.read)
	case "seek":
		return f.method(name, f.seek)
	case "close":
		return f.method(name, func([]Value, *Dict) Value { return nil })
	}
	throw("AttributeError", "'%s' object has no attribute '%s'", typ, name)
	return nil
}

func (f *uploadFile) repr() string {
	return "UploadFile(filename=" + strRepr(f.u.Name) + ", size=" + str(f.u.Size) + ")"
}

// plain is an UploadFile in a report or a result: what the client sent.
func (f *uploadFile) plain() map[string]any {
	return map[string]any{"filename": f.u.Name, "content_type": f.u.ContentType, "size": f.u.Size}
}

func init() {
	t := &TypeObj{Name: "UploadFile", Fn: func(c *call, a []Value, kw *Dict) Value {
		throw("TypeError", "an UploadFile comes from a request: declare a walker or function field of type UploadFile")
		return nil
	}}
	httpModule.Attrs["UploadFile"] = t
}
