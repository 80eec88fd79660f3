//go:build unix

package archive

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive lock of f without waiting; busy reports that
// another process holds it. The system releases it when the process ends,
// however it ends.
func tryLock(f *os.File) (busy bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
