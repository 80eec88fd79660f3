package corpus

import (
	"os"

	"golang.org/x/sys/unix"
)

// prefetch costs three system calls (O_NONBLOCK: a FIFO does not block
// it).
func prefetch(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	unix.Fadvise(fd, 0, PrefetchBytes, unix.FADV_WILLNEED)
	unix.Close(fd)
}

// prefetchOpen is prefetch keeping the file, opened as Read opens it; nil
// when it cannot be opened (Read then reports why).
func prefetchOpen(path string) *os.File {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil
	}
	if c, err := f.SyscallConn(); err == nil {
		c.Control(func(fd uintptr) { unix.Fadvise(int(fd), 0, PrefetchBytes, unix.FADV_WILLNEED) })
	}
	return f
}
