package esrgan

import (
	"bufio"
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// resetPeak frees what Go can, resets the kernel's peak-RSS mark (VmHWM)
// to the current RSS (proc(5): /proc/pid/clear_refs "5") and returns that
// RSS in MiB.
func resetPeak(t testing.TB) float64 {
	t.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset peak RSS: %v", err)
	}
	return procStatus(t, "VmRSS")
}

// peakRSS is VmHWM, the process's peak resident set since resetPeak, in MiB.
func peakRSS(t testing.TB) float64 { return procStatus(t, "VmHWM") }

// procStatus reads a "kB" field of /proc/self/status, in MiB.
func procStatus(t testing.TB, field string) float64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("cannot read /proc/self/status: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	t.Skipf("no %s in /proc/self/status", field)
	return 0
}
