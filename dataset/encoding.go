package dataset

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Encoding names the text encoding an input file was found to be in.
type Encoding string

// The encodings DecodeText recognises. GB18030 is a superset of GBK and
// GB2312, so it also covers files saved by Excel or WPS on Chinese Windows
// as "CSV (逗号分隔)"; UTF-16 is what Excel writes as "Unicode 文本".
const (
	UTF8    Encoding = "UTF-8"
	GB18030 Encoding = "GB18030"
	UTF16LE Encoding = "UTF-16LE"
	UTF16BE Encoding = "UTF-16BE"
)

// EncodingError says that a file is neither UTF-8 nor an encoding sceval
// recognises; Offset is the first byte that is not valid UTF-8 and Line its
// 1-based line.
type EncodingError struct {
	File   string
	Offset int
	Line   int
}

// Error names the line only: within a GB18030 line the first byte that is
// not UTF-8 is usually a valid Chinese character, not the byte at fault, so
// a byte offset would point at the wrong place.
func (e *EncodingError) Error() string {
	return fmt.Sprintf("%s: line %d is neither UTF-8 nor GB18030 text; "+
		"save the file as UTF-8 (in Excel: 另存为 → \"CSV UTF-8 (逗号分隔)\"; in WPS: 文本编码 UTF-8) and try again",
		e.File, e.Line)
}

// DecodeText returns b as UTF-8 text without a byte order mark, and the
// encoding it was in. Text that is valid UTF-8 (with or without a BOM) is
// returned as is; a UTF-16 byte order mark selects UTF-16; otherwise the text
// is decoded as GB18030 when every byte sequence is valid GB18030, which is
// how spreadsheets on Chinese Windows save CSV. Anything else is an
// *EncodingError naming the first offending line: sceval never passes
// invalid UTF-8 on to its outputs. name is used in messages.
//
// Detection follows the WHATWG Encoding Standard's order (BOM sniffing
// first, §6 "decode"), then a strict validity test rather than statistics:
// a GB18030 decode that yields no replacement character is accepted.
func DecodeText(name string, b []byte) ([]byte, Encoding, error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
		if utf8.Valid(b) {
			return b, UTF8, nil
		}
		return nil, "", encodingError(name, b, 3)
	case bytes.HasPrefix(b, []byte("\xff\xfe")):
		return decodeWith(name, b, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), UTF16LE, "\xfd\xff")
	case bytes.HasPrefix(b, []byte("\xfe\xff")):
		return decodeWith(name, b, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), UTF16BE, "\xff\xfd")
	case utf8.Valid(b):
		return b, UTF8, nil
	}
	out, enc, err := decodeWith(name, b, simplifiedchinese.GB18030, GB18030, "\x84\x31\xa4\x37")
	if err != nil {
		return nil, "", gb18030Error(name, b)
	}
	return out, enc, nil
}

// gb18030Error locates the first line of b that is neither UTF-8 nor
// GB18030: in a file of Chinese text the first byte that is not UTF-8 is
// usually valid GB18030, so the line to fix is the first one GB18030 cannot
// decode either.
func gb18030Error(name string, b []byte) *EncodingError {
	dec := simplifiedchinese.GB18030.NewDecoder()
	for start, line := 0, 1; start < len(b); line++ {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b) - start
		}
		text := b[start : start+end]
		out, err := dec.Bytes(text)
		if !utf8.Valid(text) && (err != nil || bytes.Count(out, []byte("\xef\xbf\xbd")) > bytes.Count(text, []byte("\x84\x31\xa4\x37"))) {
			return &EncodingError{File: name, Offset: start + encodingError(name, text, 0).Offset, Line: line}
		}
		start += end + 1
	}
	return encodingError(name, b, 0)
}

// decodeWith decodes b with enc, refusing the result if any byte sequence
// was invalid in enc: the decoder then yields more U+FFFD than b encodes
// legitimately (replacement is U+FFFD in enc: 84 31 A4 37 in GB18030).
func decodeWith(name string, b []byte, enc encoding.Encoding, as Encoding, replacement string) ([]byte, Encoding, error) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil || bytes.Count(out, []byte("\xef\xbf\xbd")) > bytes.Count(b, []byte(replacement)) {
		return nil, "", encodingError(name, b, 0)
	}
	return bytes.TrimPrefix(out, []byte("\xef\xbb\xbf")), as, nil
}

// encodingError locates the first byte of b that is not valid UTF-8; skip is
// the number of bytes already removed from the front (a BOM).
func encodingError(name string, b []byte, skip int) *EncodingError {
	off := 0
	for off < len(b) {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	return &EncodingError{File: name, Offset: off + skip, Line: bytes.Count(b[:off], []byte("\n")) + 1}
}

// EncodingNotice is the one-line notice shown when a file was decoded from
// an encoding other than UTF-8, or "" for UTF-8.
func EncodingNotice(name string, enc Encoding) string {
	if enc == UTF8 || enc == "" {
		return ""
	}
	return fmt.Sprintf("%s: read as %s text (not UTF-8) and converted to UTF-8", name, enc)
}
