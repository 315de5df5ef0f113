//go:build !race

package main

// raceDetector is set in a -race build (see deadline_race_test.go).
const raceDetector = false
