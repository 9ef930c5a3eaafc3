package jacdiff

import "testing"

func TestUnified(t *testing.T) {
	cases := []struct{ name, want, got, diff string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "--- want\n+++ got\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"added at end", "a\n", "a\nb\n", "--- want\n+++ got\n@@ -1,1 +1,2 @@\n a\n+b\n"},
		{"empty want", "", "x\n", "--- want\n+++ got\n@@ -1,0 +1,1 @@\n+x\n"},
		{"missing newline", "a\n", "a", "--- want\n+++ got\n@@ -1,1 +1,1 @@\n-a\n+a\\ (no newline at end)\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n",
			"--- want\n+++ got\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+Y\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := Unified("want", "got", c.want, c.got); d != c.diff {
				t.Fatalf("diff:\n%s\nwant:\n%s", d, c.diff)
			}
		})
	}
}
