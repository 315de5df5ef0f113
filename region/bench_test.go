package region

import (
	"bytes"
	"testing"
)

func BenchmarkDecodeEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := parseGzip(bytes.NewReader(embeddedRegions)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchName(b *testing.B) {
	reg := defaultRegistry(b)
	for b.Loop() {
		if _, total := reg.Search(Query{Q: "海淀"}); total != 2 {
			b.Fatalf("total %d", total)
		}
	}
}

func BenchmarkSearchNameWithAncestor(b *testing.B) {
	reg := defaultRegistry(b)
	for b.Loop() {
		if _, total := reg.Search(Query{Q: "北京 街道"}); total == 0 {
			b.Fatal("no match")
		}
	}
}

func BenchmarkSearchCodePrefix(b *testing.B) {
	reg := defaultRegistry(b)
	for b.Loop() {
		if _, total := reg.Search(Query{Q: "4403"}); total != 89 {
			b.Fatalf("total %d", total)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	reg := defaultRegistry(b)
	for b.Loop() {
		if _, ok := reg.Get("110108011"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkChildrenProvince(b *testing.B) {
	reg := defaultRegistry(b)
	for b.Loop() {
		if len(reg.Children("51")) == 0 {
			b.Fatal("no children")
		}
	}
}
