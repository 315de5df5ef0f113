package dataset

import (
	"fmt"
	"strings"
	"testing"
)

// Lines are the file's own: a quoted field spanning lines moves the next
// record's line on, blank lines are skipped but counted.
func TestReadRecordsLines(t *testing.T) {
	text := "a,b\n\n1,\"two\nlines\"\n3,x\n"
	recs, format, err := ReadRecords("t.csv", []byte(text))
	if err != nil || format.XLSX || format.Encoding != UTF8 {
		t.Fatalf("%v, %+v", err, format)
	}
	var got []string
	for _, r := range recs {
		got = append(got, fmt.Sprintf("%d:%s", r.Line, strings.Join(r.Fields, "|")))
	}
	if want := "[1:a|b 3:1|two\nlines 5:3|x]"; fmt.Sprint(got) != want {
		t.Fatalf("records %q, want %q", got, want)
	}
	_, _, err = ReadRecords("t.csv", []byte("a,b\n1,\"open\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "t.csv:2: column") {
		t.Fatalf("unterminated quote: %v", err)
	}
	_, _, err = ReadRecords("t.xlsx", []byte("not a workbook"))
	if err == nil || !strings.Contains(err.Error(), "t.xlsx: not a readable XLSX workbook") {
		t.Fatalf("broken workbook: %v", err)
	}
}
