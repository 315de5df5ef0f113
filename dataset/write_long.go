package dataset

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
)

// LongHeader is the header of the long CSV format; its first five columns
// are fixed, later ones may be added in new versions.
const LongHeader = "unit,code,level,score,rank,coverage,contribution,stars"

// WriteLongCSV writes res in long form: one row per unit per node, units in
// input order and nodes in the result's order (the root first, whose code is
// the framework id, then every indicator in pre-order). A missing score
// leaves score, rank, coverage and contribution empty; contribution is also
// empty at the root; stars is filled only on the root row. Numbers are
// formatted by AppendNumber. Text is quoted as RFC 4180 requires.
func WriteLongCSV(w io.Writer, res *engine.Result) error {
	if _, err := io.WriteString(w, LongHeader+"\n"); err != nil {
		return fmt.Errorf("write long CSV: %w", err)
	}
	lw := newLongWriter(res)
	blocks := (len(res.Units) + longBlock - 1) / longBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	var err error
	if workers <= 1 {
		buf := make([]byte, 0, longBufSize)
		for b := range blocks {
			buf = lw.block(buf[:0], b)
			if _, err = w.Write(buf); err != nil {
				break
			}
		}
	} else {
		err = lw.parallel(w, blocks, workers)
	}
	if err != nil {
		return fmt.Errorf("write long CSV: %w", err)
	}
	return nil
}

// longBlock is the number of units formatted as one piece of output.
const (
	longBlock   = 256
	longBufSize = 1 << 20
)

// longWriter formats blocks of units of the long CSV.
type longWriter struct {
	res    *engine.Result
	prefix [][]byte // "code,level," per node
}

func newLongWriter(res *engine.Result) *longWriter {
	lw := &longWriter{res: res, prefix: make([][]byte, len(res.Nodes))}
	for k, n := range res.Nodes {
		lw.prefix[k] = append(AppendCSVField(nil, n.Code), ","+strconv.Itoa(n.Level)+","...)
	}
	return lw
}

// block appends the rows of units [b·longBlock, (b+1)·longBlock).
func (lw *longWriter) block(buf []byte, b int) []byte {
	res := lw.res
	nodes := len(res.Nodes)
	var unit []byte
	for u := b * longBlock; u < min((b+1)*longBlock, len(res.Units)); u++ {
		unit = append(AppendCSVField(unit[:0], res.Units[u]), ',')
		for k := range nodes {
			buf = append(buf, unit...)
			buf = append(buf, lw.prefix[k]...)
			buf = appendResultCells(buf, res, u*nodes+k, k)
			if k == 0 && u < len(res.Stars) && res.Stars[u] >= 0 {
				buf = strconv.AppendInt(buf, int64(res.Stars[u]), 10)
			}
			buf = append(buf, '\n')
		}
	}
	return buf
}

// parallel formats blocks on several goroutines and writes them in order.
// A worker takes a free buffer before it takes a block, and blocks are
// handed out in order, so the oldest unwritten block always has a buffer
// and the pipeline cannot deadlock; at most 2·workers blocks are in memory.
func (lw *longWriter) parallel(w io.Writer, blocks, workers int) error {
	free := make(chan []byte, 2*workers)
	for range 2 * workers {
		free <- make([]byte, 0, longBufSize)
	}
	outs := make([]chan []byte, blocks)
	for b := range outs {
		outs[b] = make(chan []byte, 1)
	}
	next := make(chan int)
	go func() {
		for b := range blocks {
			next <- b
		}
		close(next)
	}()
	for range workers {
		go func() {
			for buf := range free {
				b, ok := <-next
				if !ok {
					return
				}
				outs[b] <- lw.block(buf[:0], b)
			}
		}()
	}
	var err error
	for b := range blocks {
		buf := <-outs[b]
		if err == nil {
			_, err = w.Write(buf)
		}
		free <- buf
	}
	close(free)
	return err
}

// appendResultCells appends "score,rank,coverage,contribution," for cell i
// (node k): everything but score's neighbours is empty when the score is
// missing.
func appendResultCells(line []byte, res *engine.Result, i, k int) []byte {
	s := res.Score[i]
	if math.IsNaN(s) {
		return append(line, ",,,,"...)
	}
	line = AppendNumber(line, s)
	line = append(line, ',')
	if r := res.Rank[i]; r > 0 {
		line = strconv.AppendInt(line, int64(r), 10)
	}
	line = append(line, ',')
	if i < len(res.Coverage) {
		line = AppendNumber(line, res.Coverage[i])
	}
	line = append(line, ',')
	if k > 0 && i < len(res.Contribution) {
		line = AppendNumber(line, res.Contribution[i])
	}
	return append(line, ',')
}

// AppendCSVField appends s as one CSV field, quoted when it contains a comma, a quote or a
// line break (RFC 4180).
func AppendCSVField(dst []byte, s string) []byte {
	s = SafeText(s)
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}
