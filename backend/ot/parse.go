package ot

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parser is a small strict JSON reader for exactly the op grammar.
type parser struct {
	data []byte
	i    int
}

func (p *parser) fail(what string) error {
	return errorf("invalid op JSON at byte %d: %s", p.i, what)
}

func (p *parser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// next skips white space and reports the next byte (0 at the end).
func (p *parser) next() byte {
	p.ws()
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

func (p *parser) op() (Op, error) {
	if p.next() != '[' {
		return nil, p.fail("an op must be an array of components")
	}
	p.i++
	op := make(Op, 0, 4)
	if p.next() == ']' {
		p.i++
	} else {
		for {
			c, err := p.component()
			if err != nil {
				return nil, err
			}
			op = append(op, c)
			switch p.next() {
			case ',':
				p.i++
				continue
			case ']':
				p.i++
			default:
				return nil, p.fail("expected ',' or ']'")
			}
			break
		}
	}
	if p.next() != 0 {
		return nil, p.fail("unexpected data after the op")
	}
	return op, nil
}

func (p *parser) component() (Component, error) {
	switch b := p.next(); {
	case b >= '0' && b <= '9' || b == '-':
		n, err := p.count("skip")
		return Component{Skip: n}, err
	case b == '"':
		s, err := p.str()
		if err == nil && s == "" {
			err = p.fail("inserts cannot be empty")
		}
		return Component{Ins: s}, err
	case b == '{':
		p.i++
		if p.next() != '"' {
			return Component{}, p.fail(`a delete must be {"d": N}`)
		}
		key, err := p.str()
		if err != nil {
			return Component{}, err
		}
		if key != "d" {
			return Component{}, p.fail("unknown component key " + strconv.Quote(key))
		}
		if p.next() != ':' {
			return Component{}, p.fail("expected ':'")
		}
		p.i++
		var n int
		if p.next() == '"' {
			// Invertible form {"d":"text"}: only its length matters here.
			var s string
			if s, err = p.str(); err == nil {
				if n = utf8.RuneCountInString(s); n == 0 {
					err = p.fail("deletes must not be empty")
				}
			}
		} else {
			n, err = p.count("delete")
		}
		if err != nil {
			return Component{}, err
		}
		if p.next() != '}' {
			return Component{}, p.fail(`a delete has exactly one key "d"`)
		}
		p.i++
		return Component{Del: n}, nil
	default:
		return Component{}, p.fail("a component must be a number, a string or {\"d\": N}")
	}
}

// count reads a positive integer without sign, fraction or exponent.
func (p *parser) count(what string) (int, error) {
	start := p.i
	for p.i < len(p.data) && (p.data[p.i] >= '0' && p.data[p.i] <= '9' ||
		p.data[p.i] == '-' || p.data[p.i] == '+' || p.data[p.i] == '.' ||
		p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
	}
	lit := string(p.data[start:p.i])
	n, err := strconv.Atoi(lit)
	if err != nil || lit[0] == '0' || lit[0] == '-' || lit[0] == '+' {
		p.i = start
		return 0, p.fail(what + " must be a positive integer, got " + lit)
	}
	if n > maxCount {
		p.i = start
		return 0, p.fail(what + " count is too large")
	}
	return n, nil
}

// str reads a JSON string, rejecting invalid UTF-8 and lone surrogates.
func (p *parser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			p.i++
			if !utf8.Valid(s) {
				return "", p.fail("string is not valid UTF-8")
			}
			return string(s), nil
		}
		if c == '\\' {
			return p.strSlow(start)
		}
		if c < 0x20 {
			return "", p.fail("control character in string")
		}
		p.i++
	}
	return "", p.fail("unterminated string")
}

// strSlow decodes a string with escapes, starting again at start.
func (p *parser) strSlow(start int) (string, error) {
	p.i = start
	buf := make([]byte, 0, 32)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return "", p.fail("string is not valid UTF-8")
			}
			return string(buf), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.data) {
			break
		}
		e := p.data[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail(`bad \u escape`)
			}
			if utf16.IsSurrogate(r) {
				lo, ok2 := rune(0), false
				if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					p.i += 2
					lo, ok2 = p.hex4()
				}
				if r = utf16.DecodeRune(r, lo); !ok2 || r == utf8.RuneError {
					return "", p.fail("unpaired surrogate in string")
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.fail("unknown escape in string")
		}
	}
	return "", p.fail("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
