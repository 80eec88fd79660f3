package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// ErrLocked reports an index that another process is changing.
var ErrLocked = errors.New("archive: the index is being changed by another process")

// lock is a writer's hold on an index: an flock of the file LOCK. The
// file stays when released; holding it is what counts, so a writer killed
// with SIGKILL leaves nothing to clean up.
type lock struct{ f *os.File }

const lockName = "LOCK"

// acquire takes dir's writer lock, or fails with ErrLocked naming the
// process that holds it.
func acquire(dir string) (*lock, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	busy, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if busy {
		holder, _ := os.ReadFile(path)
		f.Close()
		who := strings.TrimSpace(string(holder))
		if who == "" {
			who = "another process"
		}
		return nil, fmt.Errorf("%w (%s holds %s); try again when it is done", ErrLocked, who, path)
	}
	if runtime.GOOS != "windows" {
		f.Truncate(0)
		fmt.Fprintf(f, "pid %d since %s\n", os.Getpid(), time.Now().Format(time.RFC3339))
	}
	return &lock{f: f}, nil
}

// release lets the lock go.
func (l *lock) release() {
	if l != nil && l.f != nil {
		l.f.Close() // closing the file releases the flock
		l.f = nil
	}
}
