package web

import "strconv"

// ListBody is the body of every list response: one page of items and the
// number of items matching the filter across all pages.
type ListBody[T any] struct {
	Items []T `json:"items" doc:"One page of results"`
	Total int `json:"total" doc:"Number of results across all pages"`
}

// listOutput is the huma output of a list endpoint.
type listOutput[T any] struct {
	Body ListBody[T]
}

// newList renders items (never null: an empty page is []).
func newList[T any](items []T, total int) *listOutput[T] {
	if items == nil {
		items = []T{}
	}
	return &listOutput[T]{Body: ListBody[T]{Items: items, Total: total}}
}

// PageParams are the paging query parameters shared by the list endpoints.
type PageParams struct {
	Limit  int `query:"limit" minimum:"0" maximum:"1000" default:"50" doc:"Page size (at most 1000)"`
	Offset int `query:"offset" minimum:"0" default:"0" doc:"Number of results to skip; past the end gives an empty page (offsets above 2^30 count as 2^30)"`
}

// bodyOutput is the huma output of an endpoint returning one object.
type bodyOutput[T any] struct {
	Body T
}

func newBody[T any](v T) *bodyOutput[T] { return &bodyOutput[T]{Body: v} }

// IDParam is the input of an endpoint addressing an object by numeric id.
type IDParam struct {
	ID int64 `path:"id" minimum:"1" doc:"Numeric id"`
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
