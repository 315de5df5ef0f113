package sqlstore

import (
	"testing"

	"github.com/sceval/sceval/platform"
)

// TestStoredValuesFit: a national run's packed columns (41,352 pilots ×
// 8 bytes) stay under the 1 MiB a stored value may take; one pilot more
// than 131,072 per cycle, or oversized warnings, is refused by name.
func TestStoredValuesFit(t *testing.T) {
	if err := storedValuesFit(1, 41352, 10_000); err != nil {
		t.Fatalf("national run refused: %v", err)
	}
	if err := storedValuesFit(1, 131072, 0); err != nil {
		t.Fatalf("131,072 pilots refused: %v", err)
	}
	err := storedValuesFit(1, 131073, 0)
	if platform.ErrorCodeOf(err) != platform.CodeOutOfRange {
		t.Fatalf("131,073 pilots: %v", err)
	}
	if want := "cycle 1 has 131073 scored pilots: its results are stored in values of at most 1048576 bytes, 8 per pilot, so at most 131072 pilots per cycle"; err.Error() != want {
		t.Fatalf("message %q", err)
	}
	if err := storedValuesFit(1, 10, 2<<20); platform.ErrorCodeOf(err) != platform.CodeOutOfRange {
		t.Fatalf("2 MiB of warnings: %v", err)
	}
}
