package reuse

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// systemMemory returns the memory the process may use: its cgroup's limit
// when one is set, else the machine's memory; 0 when unknown.
func systemMemory() int64 {
	var info syscall.Sysinfo_t
	var total int64
	if syscall.Sysinfo(&info) == nil {
		total = int64(info.Totalram) * int64(info.Unit)
	}
	for _, name := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			return n
		}
	}
	return total
}
