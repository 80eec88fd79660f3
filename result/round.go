package result

import "math"

// Percent is part/whole as a percentage rounded to one decimal, as the
// Result reports shares of words (Document.ReusedPct, Pair.APct and
// BPct); 0 when whole is 0.
func Percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return Round(100*float64(part)/float64(whole), 1)
}

// Round rounds x to places decimals, as the Result reports its figures:
// percentages to one, similarities and Jaccard estimates to three.
func Round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
