package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// The flag handling every command shares.

// errHelp reports that --help was asked for and printed.
var errHelp = errors.New("help printed")

// newFlagSet returns a flag set that prints usage to w and reports errors
// as usage errors.
func newFlagSet(name, usage string, w io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(w)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(w, usage)
		fs.PrintDefaults()
		fmt.Fprint(w, "\n"+exitStatusHelp)
	}
	return fs
}

func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// parseSize reads a size such as 1048576, 200MB, 200MiB, 4GiB or 1.5GB.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
	}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	bad := fmt.Errorf("bad size %q", s)
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		if n <= 0 || n > (1<<62)/mult {
			return 0, bad
		}
		return n * mult, nil
	}
	// A fraction of a unit: 1.5GB.
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || strings.ContainsAny(t, "EINX") || !(x > 0) || x*float64(mult) > 1<<62 {
		return 0, bad
	}
	n := int64(math.Round(x * float64(mult)))
	if n <= 0 {
		return 0, bad
	}
	return n, nil
}
