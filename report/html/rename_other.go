//go:build !linux

package html

import "errors"

// exchangeDirs is not available here: replaceDir falls back to two renames.
func exchangeDirs(a, b string) error {
	return errors.New("html: exchanging folders is not supported on this system")
}
