package ui_test

import (
	"os"
	"testing"

	"github.com/sceval/sceval/demo/demotest"
)

// TestMain removes the demo template (demotest) when the tests end.
func TestMain(m *testing.M) { os.Exit(demotest.Run(m)) }
