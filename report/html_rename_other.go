//go:build !linux

package report

import "errors"

// htmlExchangeDirs is not available here: htmlReplaceDir falls back to two renames.
func htmlExchangeDirs(a, b string) error {
	return errors.New("report: exchanging folders is not supported on this system")
}
