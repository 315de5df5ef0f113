package platform

import (
	"bytes"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Content types of accepted evidence files.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeZip  = "application/zip"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypePPT  = "application/vnd.ms-powerpoint"
	// TypeOLE2 is an OLE2 compound file whose name does not say which
	// Office program wrote it.
	TypeOLE2 = "application/x-ole-storage"
)

// SniffLen is how many leading bytes SniffEvidence needs.
const SniffLen = 512

// Magic numbers of the accepted formats (file signatures as listed by the
// WHATWG MIME Sniffing Standard §6 and, for OLE2 and zip, by the formats'
// specifications: [MS-CFB] §2.2 and PKWARE APPNOTE §4.3.7).
var (
	magicPDF  = []byte("%PDF-")
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicGIF7 = []byte("GIF87a")
	magicGIF9 = []byte("GIF89a")
	magicZip  = []byte("PK\x03\x04")
	magicZip0 = []byte("PK\x05\x06") // empty archive
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// SniffEvidence returns the content type of an evidence file from its first
// bytes (at least SniffLen when the file is that long) and its name, and
// whether the type is accepted: PDF, PNG, JPEG, GIF, WebP, zip and Office
// files (docx/xlsx/pptx are zip archives, doc/xls/ppt OLE2 compound files;
// the file name's extension tells them apart, since their first bytes do
// not). Everything else is refused.
func SniffEvidence(head []byte, filename string) (string, bool) {
	ext := strings.ToLower(path.Ext(filename))
	switch {
	case bytes.HasPrefix(head, magicPDF):
		return TypePDF, true
	case bytes.HasPrefix(head, magicPNG):
		return TypePNG, true
	case bytes.HasPrefix(head, magicJPEG):
		return TypeJPEG, true
	case bytes.HasPrefix(head, magicGIF7), bytes.HasPrefix(head, magicGIF9):
		return TypeGIF, true
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return TypeWebP, true
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicZip0):
		// An Office Open XML file misnamed with the old extension is still
		// that program's document.
		return byExtension(ext, map[string]string{".docx": TypeDOCX, ".xlsx": TypeXLSX, ".pptx": TypePPTX,
			".doc": TypeDOCX, ".xls": TypeXLSX, ".ppt": TypePPTX}, TypeZip), true
	case bytes.HasPrefix(head, magicOLE2):
		return byExtension(ext, map[string]string{".doc": TypeDOC, ".xls": TypeXLS, ".ppt": TypePPT,
			".docx": TypeDOC, ".xlsx": TypeXLS, ".pptx": TypePPT}, TypeOLE2), true
	}
	return "", false
}

// evidenceGroups sorts the extensions of accepted evidence files by the kind
// of program that opens them. Within a group a wrong extension is harmless
// (image viewers sniff, Office opens any of its formats); across groups it
// is not: a PDF named .png is opened by an image viewer and fails.
var evidenceGroups = []struct {
	name  string
	exts  []string
	types []string
}{
	{"a PDF document", []string{".pdf"}, []string{TypePDF}},
	{"an image", []string{".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".webp"}, []string{TypePNG, TypeJPEG, TypeGIF, TypeWebP}},
	{"an Office document or zip archive", []string{".zip", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt"},
		[]string{TypeZip, TypeDOCX, TypeXLSX, TypePPTX, TypeDOC, TypeXLS, TypePPT, TypeOLE2}},
}

// ExtensionMismatch reports whether filename's extension names another
// kind of file than its content (of content type ctype) is, and what the
// content is ("a PDF document", "an image", …). Names without an extension, or
// with one that is not an evidence format, never mismatch.
func ExtensionMismatch(ctype, filename string) (string, bool) {
	ext := strings.ToLower(path.Ext(filename))
	var extGroup, typeGroup = -1, -1
	for i, g := range evidenceGroups {
		for _, e := range g.exts {
			if e == ext {
				extGroup = i
			}
		}
		for _, t := range g.types {
			if t == ctype {
				typeGroup = i
			}
		}
	}
	if extGroup < 0 || typeGroup < 0 || extGroup == typeGroup {
		return "", false
	}
	return evidenceGroups[typeGroup].name, true
}

// byExtension returns types[ext], or def.
func byExtension(ext string, types map[string]string, def string) string {
	if t, ok := types[ext]; ok {
		return t
	}
	return def
}

// maxFilename limits a sanitised file name, in bytes.
const maxFilename = 255

// SanitizeFilename returns a file name safe to store and to send back in a
// Content-Disposition header: the last path element (of / or \ paths),
// without control or format characters, trimmed of spaces and dots, at most
// 255 bytes (cut at a character boundary, keeping the extension), with any
// script kept (Chinese names stay as they are). An empty result becomes
// "evidence".
func SanitizeFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if len(name) > maxFilename {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		base := name[:maxFilename-len(ext)]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
		name = base + ext
	}
	if name == "" {
		return "evidence"
	}
	return name
}

// typeExtensions is the allow-list of file name extensions per accepted
// content type, the first being the one StoredFilename gives a file whose
// name ends otherwise. An OLE2 file not named as an Office document has
// none: OLE2 is also the format of Windows installers (.msi) and other
// executables' containers, so it is refused (see AddEvidence).
var typeExtensions = map[string][]string{
	TypePDF:  {".pdf"},
	TypePNG:  {".png"},
	TypeJPEG: {".jpg", ".jpeg", ".jpe", ".jfif"},
	TypeGIF:  {".gif"},
	TypeWebP: {".webp"},
	TypeZip:  {".zip"},
	TypeDOCX: {".docx"},
	TypeXLSX: {".xlsx"},
	TypePPTX: {".pptx"},
	TypeDOC:  {".doc"},
	TypeXLS:  {".xls"},
	TypePPT:  {".ppt"},
}

// StoredFilename returns the name an evidence file of content type ctype is
// stored and downloaded under: name itself when its extension is on the
// type's allow-list, else name with its extension replaced by (or, without
// one, extended by) the type's first extension — a GIF/HTML polyglot
// uploaded as evil.html downloads as evil.gif, a PDF named x.hta as x.pdf, a
// zip named x.docm or x.bat as x.zip — so that what a browser or desktop
// opens the download with is decided by the sniffed content, never by the
// uploader. It returns "" for a type without allowed extensions. name must
// be sanitised (SanitizeFilename).
func StoredFilename(ctype, name string) string {
	exts := typeExtensions[ctype]
	if len(exts) == 0 {
		return ""
	}
	ext := path.Ext(name)
	for _, e := range exts {
		if strings.EqualFold(ext, e) {
			return name
		}
	}
	base := strings.TrimSuffix(name, ext)
	if base == "" {
		base = "evidence"
	}
	return SanitizeFilename(base + exts[0])
}
