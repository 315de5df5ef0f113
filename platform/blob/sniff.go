package blob

import (
	"bytes"
	"net/http"
)

// Signatures that net/http.DetectContentType does not know: OLE2 compound
// files ([MS-CFB] §2.2; .doc, .xls, .ppt) and zip archives, whose Office
// Open XML members ([ECMA-376] Part 2) show as "word/", "xl/" or "ppt/" in
// the first local file header names.
var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// Sniff returns the content type of a file from its first (up to 512)
// bytes: net/http.DetectContentType's answer, refined for OLE2 compound
// files and Office Open XML archives.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, oleMagic):
		return "application/x-ole-storage"
	case bytes.HasPrefix(head, zipMagic):
		switch {
		case bytes.Contains(head, []byte("word/")):
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case bytes.Contains(head, []byte("xl/")):
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case bytes.Contains(head, []byte("ppt/")):
			return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
		}
		return "application/zip"
	}
	return http.DetectContentType(head)
}
