package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
)

// uncertaintyCSVHeader is the header of sensitivity's CSV output.
const uncertaintyCSVHeader = "unit,nominal_rank,median_rank,p05_rank,p95_rank"

// writeUncertaintyCSV writes one row per unit in input order; quantiles
// may be fractional (R type 7) and are formatted by dataset.AppendNumber;
// missing values are empty.
func writeUncertaintyCSV(w io.Writer, rep *engine.UncertaintyReport) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(uncertaintyCSVHeader + "\n")
	var line []byte
	for u, name := range rep.Units {
		line = dataset.AppendCSVField(line[:0], name)
		line = appendRank(append(line, ','), at32(rep.Nominal, u))
		for _, q := range [][]float64{rep.Median, rep.P05, rep.P95} {
			line = dataset.AppendNumber(append(line, ','), atFloat(q, u))
		}
		bw.Write(append(line, '\n'))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sensitivity: %w", err)
	}
	return nil
}

// indicesCSVHeader is the header of the --indices CSV: each index with the
// bounds of its bootstrap interval (engine.SobolConfidence, 95 %).
const indicesCSVHeader = "input,first_order,first_order_low,first_order_high,total_order,total_order_low,total_order_high"

// writeIndicesCSV writes the sensitivity indices, one row per input, with
// their bootstrap intervals.
func writeIndicesCSV(w io.Writer, rep *engine.UncertaintyReport) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(indicesCSVHeader + "\n")
	var line []byte
	for _, si := range rep.Indices {
		line = dataset.AppendCSVField(line[:0], si.Input)
		for _, v := range []float64{si.First, si.FirstLow, si.FirstHigh, si.Total, si.TotalLow, si.TotalHigh} {
			line = dataset.AppendNumber(append(line, ','), v)
		}
		bw.Write(append(line, '\n'))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sensitivity indices: %w", err)
	}
	return nil
}

func writeUncertaintyJSON(w io.Writer, frameworkID string, vary []string, rep *engine.UncertaintyReport) error {
	type unit struct {
		Unit    string     `json:"unit"`
		Nominal jsonRank   `json:"nominal_rank"`
		Median  jsonNumber `json:"median_rank"`
		P05     jsonNumber `json:"p05_rank"`
		P95     jsonNumber `json:"p95_rank"`
	}
	type index struct {
		Input     string     `json:"input"`
		First     jsonNumber `json:"first_order"`
		FirstLow  jsonNumber `json:"first_order_low"`
		FirstHigh jsonNumber `json:"first_order_high"`
		Total     jsonNumber `json:"total_order"`
		TotalLow  jsonNumber `json:"total_order_low"`
		TotalHigh jsonNumber `json:"total_order_high"`
	}
	doc := struct {
		Framework string   `json:"framework"`
		Runs      int      `json:"runs"`
		N         int      `json:"n"`
		Seed      uint64   `json:"seed"`
		Vary      []string `json:"vary"`
		// Confidence is the level of the indices' bootstrap intervals.
		Confidence float64  `json:"confidence"`
		Units      []unit   `json:"units"`
		Indices    []index  `json:"indices"`
		Warnings   []string `json:"warnings"`
	}{Framework: frameworkID, Runs: rep.Runs, N: rep.N, Seed: rep.Seed, Vary: vary, Confidence: engine.SobolConfidence,
		Units: make([]unit, len(rep.Units)), Indices: make([]index, len(rep.Indices)), Warnings: rep.Warnings}
	for u, name := range rep.Units {
		doc.Units[u] = unit{name, jsonRank(at32(rep.Nominal, u)), jsonNumber(atFloat(rep.Median, u)),
			jsonNumber(atFloat(rep.P05, u)), jsonNumber(atFloat(rep.P95, u))}
	}
	for i, si := range rep.Indices {
		doc.Indices[i] = index{si.Input, jsonNumber(si.First), jsonNumber(si.FirstLow), jsonNumber(si.FirstHigh),
			jsonNumber(si.Total), jsonNumber(si.TotalLow), jsonNumber(si.TotalHigh)}
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write sensitivity: %w", err)
	}
	return nil
}

func at32(s []int32, i int) int32 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func atFloat(s []float64, i int) float64 {
	if i < len(s) {
		return s[i]
	}
	return math.NaN()
}
