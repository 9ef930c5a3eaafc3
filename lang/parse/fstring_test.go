package parse

import "testing"

func TestFStrings(t *testing.T) {
	tests := []struct{ src, want string }{
		{`f"{'a'}"`, `(FString Parts=[(FormatPart X=(Lit Kind=2 Value="a"))])`},
		{`f"{d["k"]}"`, `(FString Parts=[(FormatPart X=(Index X=(Name Name="d") Index=(Lit Kind=2 Value="k")))])`},
		{`f"{'{'}"`, `(FString Parts=[(FormatPart X=(Lit Kind=2 Value="{"))])`},
		{`f"{{}}"`, `(FString Parts=[(Lit Kind=2 Value="{}")])`},
		{`f"{x:{w}.{p}f}"`, `(FString Parts=[(FormatPart X=(Name Name="x") Spec=(FString Parts=[(FormatPart X=(Name Name="w")) (Lit Kind=2 Value=".") (FormatPart X=(Name Name="p")) (Lit Kind=2 Value="f")]))])`},
		{`f"{x!s:>10}"`, `(FString Parts=[(FormatPart X=(Name Name="x") Conv='s' Spec=(FString Parts=[(Lit Kind=2 Value=">10")]))])`},
		{`f"{a != b}"`, `(FString Parts=[(FormatPart X=(Compare X=(Name Name="a") Ops=["!="] Ys=[(Name Name="b")]))])`},
		{`f"{x = }"`, `(FString Parts=[(FormatPart X=(Name Name="x") Debug=true Text="x ")])`},
		{`f"{a == b=}"`, `(FString Parts=[(FormatPart X=(Compare X=(Name Name="a") Ops=["=="] Ys=[(Name Name="b")]) Debug=true Text="a == b")])`},
		{`f"{(lambda: 1)()}"`, `(FString Parts=[(FormatPart X=(Call Fn=(Lambda Body=(Lit Value="1"))))])`},
		{`f"{x:%H:%M}"`, `(FString Parts=[(FormatPart X=(Name Name="x") Spec=(FString Parts=[(Lit Kind=2 Value="%H:%M")]))])`},
		{`rf"\n{x}"`, `(FString Parts=[(Lit Kind=2 Value="\\n") (FormatPart X=(Name Name="x"))])`},
		{`f"\t{x}\x41"`, `(FString Parts=[(Lit Kind=2 Value="\t") (FormatPart X=(Name Name="x")) (Lit Kind=2 Value="A")])`},
		{"f\"\"\"a\n{x}\"\"\"", `(FString Parts=[(Lit Kind=2 Value="a\n") (FormatPart X=(Name Name="x"))])`},
		{`"a" f"{x}" 'b' f"c"`, `(FString Parts=[(Lit Kind=2 Value="a") (FormatPart X=(Name Name="x")) (Lit Kind=2 Value="bc")])`},
		{`f"{f"{x}"}"`, `(FString Parts=[(FormatPart X=(FString Parts=[(FormatPart X=(Name Name="x"))]))])`},
		{"f\"{(a,\n b)}\"", `(FString Parts=[(FormatPart X=(Tuple Elts=[(Name Name="a") (Name Name="b")]))])`},
		{`F"{x}" + Rb"\d" + B"z"`, `(Binary Op="+" X=(Binary Op="+" X=(FString Parts=[(FormatPart X=(Name Name="x"))]) Y=(Lit Kind=3 Value="\\d")) Y=(Lit Kind=3 Value="z"))`},
	}
	for _, tt := range tests {
		if got := exprDump(t, tt.src); got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.src, got, tt.want)
		}
	}
}

func TestFStringErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`f"a}"`, "t.jac:2:4: single '}' is not allowed in an f-string"},
		{`f"{}"`, "t.jac:2:3: empty expression in an f-string field"},
		{`f"{x!z}"`, "t.jac:2:6: expected 'r', 's' or 'a' after '!' in an f-string field"},
		{`f"{x y}"`, "t.jac:2:6: unexpected 'y' in an f-string field"},
		{`f"{x:{y}"`, "t.jac:2:1: unterminated f-string: a '{' field is not closed"},
	}
	for _, tt := range tests {
		_, err := File("t.jac", []byte("with entry {\n"+tt.src+";\n}\n"))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.src, err, tt.want)
		}
	}
}
