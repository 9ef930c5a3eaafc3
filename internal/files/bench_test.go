package files

import (
	"strconv"
	"testing"
)

func BenchmarkSpace(b *testing.B) {
	dir := b.TempDir()
	st, err := Open(Options{BasePath: dir, CreateDirs: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sp, err := st.App("bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1 << 10, 1 << 20} {
		data := make([]byte, size)
		name := strconv.Itoa(size)
		b.Run("upload/"+name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := sp.Upload("d/"+name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("download/"+name, func(b *testing.B) {
			b.SetBytes(int64(size))
			buf := make([]byte, 0, size)
			for b.Loop() {
				if _, err := sp.AppendFile(buf[:0], "d/"+name, 1<<30); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("clean", func(b *testing.B) {
		for b.Loop() {
			if _, err := Clean("./a/b//c/d.txt"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
