//go:build !unix

package corpus

import "os"

// openFlags open an input for reading (no FIFOs to block on here).
const openFlags = os.O_RDONLY
