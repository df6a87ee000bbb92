package server

import (
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestTuneGCKeepsTheOperatorsSettings(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	logger := slog.New(slog.DiscardHandler)

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	TuneGC(logger)
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != gcPercent || l != memoryLimit {
		t.Fatalf("without GOGC/GOMEMLIMIT: percent %d, limit %d; want %d, %d", p, l, gcPercent, memoryLimit)
	}

	debug.SetMemoryLimit(1 << 40)
	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "1TiB")
	TuneGC(logger)
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != 100 || l != 1<<40 {
		t.Fatalf("with GOGC/GOMEMLIMIT set: percent %d, limit %d; want them untouched", p, l)
	}
}
