package server

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// The collector's settings for serving. A request allocates far more than it keeps (a page of
// contacts is about 1.4 MB of short-lived values against a live heap of 15-25 MB), so Go's
// default of collecting each time the heap doubles spends a sixth of the CPU on collection.
// Letting it grow five-fold cuts that, and the soft limit makes the collector work harder again
// before the process grows past it.
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

// TuneGC applies gcPercent and memoryLimit, each unless the operator set GOGC or GOMEMLIMIT.
func TuneGC(logger *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	percent := debug.SetGCPercent(-1) // reads the setting (and turns collection off) ...
	debug.SetGCPercent(percent)       // ... which this puts back at once
	logger.Info("garbage collector", "gc_percent", percent, "memory_limit_bytes", debug.SetMemoryLimit(-1))
}
