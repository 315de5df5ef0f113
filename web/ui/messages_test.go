package ui

import (
	"strings"
	"testing"
)

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for key, m := range messages() {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("message %q lacks a language: %q", key, m)
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("message %q: the languages have different verbs: %q", key, m)
		}
	}
	zh, en := catalogue{lang: "zh"}, catalogue{lang: "en"}
	if zh.T("nav.overview") != "概览" || en.T("nav.overview") != "Overview" {
		t.Error("T does not pick the language")
	}
	if got := zh.T("no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("unknown key: %q", got)
	}
	if got := en.E("cycle_state", "open"); got != "Open" {
		t.Errorf("E(cycle_state, open) = %q", got)
	}
	if got := en.E("cycle_state", "archived"); got != "archived" {
		t.Errorf("unknown enum value: %q", got)
	}
}

func TestRankingLinks(t *testing.T) {
	d := cycleData{path: "/cycles/7", Sort: "-score"}
	for key, want := range map[string]string{
		"score": "/cycles/7?sort=score", "rank": "/cycles/7", "name": "/cycles/7?sort=name", "region_code": "/cycles/7?sort=region_code",
	} {
		if got := d.SortURL(key); got != want {
			t.Errorf("sorted by -score, SortURL(%s) = %q, want %q", key, got, want)
		}
	}
	d.Sort = "rank"
	if got := d.SortURL("rank"); got != "/cycles/7?sort=-rank" {
		t.Errorf("SortURL(rank) when by rank = %q", got)
	}
	if got := d.SortURL("score"); got != "/cycles/7?sort=-score" {
		t.Errorf("SortURL(score) = %q: the first click sorts highest first", got)
	}
	d.Sort = "-score"
	p := d.newPager(2, 250)
	if p.Pages != 3 || p.First != 101 || p.Last != 200 || p.PrevURL != "/cycles/7?sort=-score" || p.NextURL != "/cycles/7?page=3&sort=-score" {
		t.Errorf("pager: %+v", p)
	}
	if p := d.newPager(3, 250); p.NextURL != "" || p.Last != 250 {
		t.Errorf("last page: %+v", p)
	}
	if p := d.newPager(1, 0); p.Pages != 1 || p.PrevURL != "" || p.NextURL != "" {
		t.Errorf("empty ranking: %+v", p)
	}
}

func TestFormatting(t *testing.T) {
	two, three := 2, 3
	if got := formatStars(&two, 3); got != "★★☆" {
		t.Errorf("2 of 3 stars: %q", got)
	}
	if got := formatStars(&three, 5); got != "★★★☆☆" {
		t.Errorf("3 of 5 stars: %q", got)
	}
	if got := formatStars(nil, 3); got != "–" {
		t.Errorf("missing stars: %q", got)
	}
	x := 82.3456
	if got := formatScore(&x); got != "82.35" {
		t.Errorf("score: %q", got)
	}
	if got := formatScore(nil); got != "–" {
		t.Errorf("missing score: %q", got)
	}
}
