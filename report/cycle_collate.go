package report

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SortByName sorts xs by the Chinese name key(x) in pinyin order (the
// Unicode CLDR collation for Chinese: 安徽 < 北京 < 重庆 < 福建 …), the order
// Chinese readers expect of a list of places; stable for equal names.
func SortByName[T any](xs []T, key func(T) string) {
	// A collator holds a buffer: one per sort, never shared.
	c := collate.New(language.Chinese)
	slices.SortStableFunc(xs, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}
