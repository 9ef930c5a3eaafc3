package parse

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/walkerhost/walkerhost/lang/ast"
)

// tokKind is the lexical class of a token.
type tokKind int

const (
	tEOF     tokKind = iota
	tName            // identifier or keyword (keywords are told apart by text)
	tEsc             // `name: a backtick-escaped name
	tInt             // digits as written, underscores removed
	tFloat           // as written, underscores removed
	tString          // a string literal, decoded
	tBytes           // a bytes literal, decoded
	tFString         // an f-string: raw body, parsed by the parser
	tOp              // an operator or delimiter
)

// token is one lexeme. For strings val holds the decoded text; for
// f-strings raw holds the body between the quotes and bodyPos where it
// starts, so that fields can be parsed with their true positions.
type token struct {
	kind    tokKind
	text    string // source text of names, numbers and operators
	val     string // decoded string value
	raw     bool   // r-prefixed string (f-strings: escapes not processed)
	pos     ast.Pos
	bodyPos ast.Pos
	end     int // byte offset just past the token
}

// keywords are the reserved words of Jac: never a plain name, though most
// may follow a dot as an attribute name.
var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`abs obj class enum node edge walker has can def static override
		impl getter setter deleter sem test glob global nonlocal import include from as if elif else
		for to by while match switch case default try except finally awaiting with return yield break
		continue raise del assert skip report visit spawn entry exit disengage here visitor root async
		await flow wait and or not in is lambda pub priv protect cl sv na self props init super
		postinit True False None`) {
		keywords[k] = true
	}
}

// ops are the operators and delimiters; the longest one that matches wins.
var ops = []string{
	"<-->", "<++>",
	"-->", "<--", "<-:", ":<-", "->:", ":->", "<++", "++>", "<+:", ":<+", "+>:", ":+>",
	"...", "**=", "//=", "<<=", ">>=",
	"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "|>", "<|", "->", ":=",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
	"(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=", "<", ">", "+", "-", "*", "/", "%",
	"&", "|", "^", "~", "?", "@",
}

// opSet holds the operators for a longest-match lookup.
var opSet = map[string]string{}

const maxOpLen = 4

func init() {
	for _, op := range ops {
		opSet[op] = op
	}
}

// lexer turns source into tokens, all at once.
type lexer struct {
	src  string
	off  int
	line int
	col  int
	toks []token
	err  *lexError
}

type lexError struct {
	pos ast.Pos
	msg string
}

// lex tokenises src, whose first byte sits at start; it stops at the first
// error.
func lex(src string, start ast.Pos) ([]token, *lexError) {
	l := &lexer{src: src, line: start.Line, col: start.Col, toks: make([]token, 0, len(src)/3+1)}
	for l.err == nil {
		l.skipSpace()
		if l.err != nil {
			break
		}
		if l.off >= len(l.src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: l.pos(), end: l.off})
			break
		}
		l.next()
	}
	return l.toks, l.err
}

func (l *lexer) pos() ast.Pos { return ast.Pos{Line: l.line, Col: l.col} }

// advance moves past n bytes, keeping line and column.
func (l *lexer) advance(n int) {
	for i := 0; i < n && l.off < len(l.src); {
		r, size := utf8.DecodeRuneInString(l.src[l.off:])
		l.off += size
		i += size
		if r == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
	}
}

func (l *lexer) fail(p ast.Pos, msg string) {
	if l.err == nil {
		l.err = &lexError{p, msg}
	}
}

func (l *lexer) skipSpace() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			l.advance(1)
		case strings.HasPrefix(l.src[l.off:], "#*"):
			p := l.pos()
			end := strings.Index(l.src[l.off+2:], "*#")
			if end < 0 {
				l.fail(p, "unterminated block comment")
				return
			}
			l.advance(end + 4)
		case c == '#':
			end := strings.IndexByte(l.src[l.off:], '\n')
			if end < 0 {
				end = len(l.src) - l.off
			}
			l.advance(end)
		default:
			return
		}
	}
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func (l *lexer) emit(t token) {
	t.end = l.off
	l.toks = append(l.toks, t)
}

func (l *lexer) next() {
	p := l.pos()
	rest := l.src[l.off:]
	r, _ := utf8.DecodeRuneInString(rest)
	switch {
	case isIdentStart(r):
		n := 0
		for n < len(rest) {
			r, size := utf8.DecodeRuneInString(rest[n:])
			if !isIdentPart(r) {
				break
			}
			n += size
		}
		word := rest[:n]
		if n < len(rest) && (rest[n] == '"' || rest[n] == '\'') {
			if prefix := strings.ToLower(word); isStringPrefix(prefix) {
				l.advance(n)
				l.str(p, prefix)
				return
			}
		}
		l.advance(n)
		l.emit(token{kind: tName, text: word, pos: p})
	case r == '`':
		l.advance(1)
		rest = l.src[l.off:]
		n := 0
		for n < len(rest) {
			r, size := utf8.DecodeRuneInString(rest[n:])
			if !isIdentPart(r) {
				break
			}
			n += size
		}
		if n == 0 {
			l.fail(p, "expected a name after '`'")
			return
		}
		l.advance(n)
		l.emit(token{kind: tEsc, text: rest[:n], pos: p})
	case r >= '0' && r <= '9' || r == '.' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9':
		l.number(p)
	case r == '"' || r == '\'':
		l.str(p, "")
	default:
		for n := min(maxOpLen, len(rest)); n > 0; n-- {
			if op, ok := opSet[rest[:n]]; ok {
				l.advance(n)
				l.emit(token{kind: tOp, text: op, pos: p})
				return
			}
		}
		if r == '\\' && (strings.HasPrefix(rest, "\\\n") || strings.HasPrefix(rest, "\\\r\n")) {
			l.advance(1)
			return
		}
		l.fail(p, "unexpected character "+strconv.QuoteRune(r))
	}
}

func isStringPrefix(p string) bool {
	switch p {
	case "r", "b", "u", "f", "rb", "br", "rf", "fr":
		return true
	}
	return false
}

// number scans an int or float literal, removing underscores.
func (l *lexer) number(p ast.Pos) {
	s := l.src[l.off:]
	n := 0
	digitsOf := func(ok func(byte) bool) {
		for n < len(s) && (ok(s[n]) || s[n] == '_' && n+1 < len(s) && ok(s[n+1])) {
			n++
		}
	}
	dec := func(c byte) bool { return c >= '0' && c <= '9' }
	kind := tInt
	if len(s) > 1 && s[0] == '0' && strings.ContainsRune("xXoObB", rune(s[1])) {
		var ok func(byte) bool
		switch s[1] | 0x20 {
		case 'x':
			ok = func(c byte) bool { return dec(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
		case 'o':
			ok = func(c byte) bool { return c >= '0' && c <= '7' }
		default:
			ok = func(c byte) bool { return c == '0' || c == '1' }
		}
		n = 2
		if n < len(s) && s[n] == '_' {
			n++
		}
		start := n
		digitsOf(ok)
		if n == start {
			l.fail(p, "invalid number literal")
			return
		}
	} else {
		digitsOf(dec)
		if n < len(s) && s[n] == '.' && !(n+1 < len(s) && s[n+1] == '.') {
			kind = tFloat
			n++
			digitsOf(dec)
		}
		if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
			m := n + 1
			if m < len(s) && (s[m] == '+' || s[m] == '-') {
				m++
			}
			if m < len(s) && dec(s[m]) {
				kind = tFloat
				n = m
				digitsOf(dec)
			}
		}
		if n < len(s) && (s[n] == 'j' || s[n] == 'J') {
			l.fail(p, "complex numbers are not supported")
			return
		}
	}
	if n < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[n:]); isIdentPart(r) {
			l.fail(p, "invalid number literal")
			return
		}
	}
	text := strings.ReplaceAll(s[:n], "_", "")
	l.advance(n)
	l.emit(token{kind: kind, text: text, pos: p})
}

// str scans a string literal whose prefix (lower case) has been consumed.
func (l *lexer) str(p ast.Pos, prefix string) {
	raw := strings.Contains(prefix, "r")
	bytes := strings.Contains(prefix, "b")
	fstr := strings.Contains(prefix, "f")
	q := l.src[l.off]
	quote := string(q)
	if strings.HasPrefix(l.src[l.off:], strings.Repeat(quote, 3)) {
		quote = strings.Repeat(quote, 3)
	}
	l.advance(len(quote))
	bodyPos := l.pos()
	start := l.off
	depth := 0 // braces of f-string fields, where quotes of the other kind may nest
	var inner byte
	for {
		if l.off >= len(l.src) {
			if depth > 0 {
				l.fail(p, "unterminated f-string: a '{' field is not closed")
				return
			}
			l.fail(p, "unterminated string")
			return
		}
		c := l.src[l.off]
		if inner != 0 {
			if c == '\\' {
				l.advance(2)
				continue
			}
			if c == inner {
				inner = 0
			}
			l.advance(1)
			continue
		}
		if fstr && depth > 0 && (c == '"' || c == '\'') {
			// A string inside a field, which may reuse the outer quote.
			inner = c
			l.advance(1)
			continue
		}
		if strings.HasPrefix(l.src[l.off:], quote) {
			break
		}
		if c == '\n' && len(quote) == 1 && depth == 0 {
			l.fail(p, "unterminated string")
			return
		}
		if c == '\\' {
			l.advance(2)
			continue
		}
		if fstr {
			if c == '{' {
				if depth == 0 && strings.HasPrefix(l.src[l.off:], "{{") {
					l.advance(2)
					continue
				}
				depth++
			} else if c == '}' && depth > 0 {
				depth--
			}
		}
		l.advance(1)
	}
	body := l.src[start:l.off]
	l.advance(len(quote))
	if fstr {
		l.emit(token{kind: tFString, text: body, raw: raw, pos: p, bodyPos: bodyPos})
		return
	}
	val, bad := unescape(body, raw, bytes)
	if bad != "" {
		l.fail(p, bad)
		return
	}
	kind := tString
	if bytes {
		kind = tBytes
	}
	l.emit(token{kind: kind, val: val, raw: raw, pos: p})
}

// unescape resolves the backslash escapes of a string body as Python does
// (unknown escapes stay as written). It returns a message if one is invalid.
func unescape(s string, raw, bytes bool) (string, string) {
	if raw || !strings.Contains(s, "\\") {
		if bytes {
			for i := 0; i < len(s); i++ {
				if s[i] >= 0x80 {
					return "", "bytes can only contain ASCII literal characters"
				}
			}
		}
		return strings.ReplaceAll(s, "\r\n", "\n"), ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			writeCode(&b, rune(v), bytes)
			i = j - 1
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if bytes && e != 'x' {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			if i+1+n > len(s) {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil || v > unicode.MaxRune {
				// Kept as written, as jaclang does.
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			writeCode(&b, rune(v), bytes)
			i += n
		case 'N':
			return "", "\\N{...} escapes are not supported"
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String(), ""
}

func writeCode(b *strings.Builder, r rune, bytes bool) {
	if bytes {
		b.WriteByte(byte(r))
		return
	}
	b.WriteRune(r)
}
