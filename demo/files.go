package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// minimalPDF returns a valid one-page PDF 1.4 document showing text (ASCII
// only: the standard Helvetica font has no CJK glyphs). The cross-reference
// offsets are computed, so readers open it without repair.
func minimalPDF(text string) []byte {
	stream := fmt.Sprintf("BT /F1 14 Tf 56 780 Td (%s) Tj ET", pdfEscape(text))
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, obj := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pdfEscape escapes the characters special in a PDF literal string.
func pdfEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// minimalPNG returns a small bar chart as a PNG image: one bar per value in
// [0, 100], so each demo pilot's "monitoring chart" differs.
func minimalPNG(values []float64) []byte {
	const w, h, bar = 120, 60, 10
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: 250, G: 250, B: 250, A: 255})
		}
	}
	for i, v := range values {
		top := h - int(v/100*float64(h-4))
		for x := i*(bar+2) + 4; x < i*(bar+2)+4+bar && x < w; x++ {
			for y := max(top, 0); y < h; y++ {
				img.Set(x, y, color.RGBA{R: 30, G: 100, B: 200, A: 255})
			}
		}
	}
	var b bytes.Buffer
	// Encoding an in-memory RGBA image cannot fail.
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
