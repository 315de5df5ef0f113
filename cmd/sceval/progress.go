package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// progressBar draws "[#####-----]  52% 520/1000 runs" on one terminal line,
// redrawing only when the percentage changes. It is safe for concurrent use
// (the engine may report from several workers).
type progressBar struct {
	mu      sync.Mutex
	w       io.Writer
	percent int
	drawn   bool
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w, percent: -1} }

// update is an engine.UncertaintyConfig.Progress callback.
func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	pct := min(100, done*100/total)
	p.mu.Lock()
	defer p.mu.Unlock()
	if pct == p.percent {
		return
	}
	p.percent = pct
	const width = 30
	fill := pct * width / 100
	fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d runs", strings.Repeat("#", fill), strings.Repeat("-", width-fill), pct, done, total)
	p.drawn = true
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
