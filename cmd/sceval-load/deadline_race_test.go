//go:build race

package main

// raceDetector is set in a -race build, whose server is several times
// slower: the deadline test then runs fewer users for longer, so that every
// user still gets through its first actions.
const raceDetector = true
