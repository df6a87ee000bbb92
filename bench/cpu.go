package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cpuSnapshot is CPU time used so far, in clock ticks (USER_HZ, 100 a second on Linux): by the
// whole machine, by this process, and by PostgreSQL's processes. The difference tells how much
// CPU other work on the machine took while a scenario ran, which skews its numbers.
type cpuSnapshot struct {
	at                   time.Time
	busy, self, postgres int64
	ok                   bool
}

const ticksPerSecond = 100

func takeCPUSnapshot() cpuSnapshot {
	s := cpuSnapshot{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 8 || f[0] != "cpu" {
		return s
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 3 || i == 4 || i >= 8 { // idle, iowait; guest time is already in user
			continue
		}
		s.busy += n
	}
	s.self = procTicks("/proc/self/stat")
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		if comm, err := os.ReadFile(d + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "postgres" {
			s.postgres += procTicks(d + "/stat")
		}
	}
	s.ok = true
	return s
}

// procTicks is a process's user and system time from its stat file.
func procTicks(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	// The command name may contain spaces; the fields after its closing parenthesis are fixed.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return utime + stime
}

// otherCores is the CPU, in cores, that neither this process nor PostgreSQL used between two
// snapshots: other work on the machine.
func otherCores(a, b cpuSnapshot) float64 {
	if !a.ok || !b.ok {
		return -1
	}
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 {
		return -1
	}
	other := (b.busy - a.busy) - (b.self - a.self) - (b.postgres - a.postgres)
	return max(0, float64(other)/ticksPerSecond/secs)
}
