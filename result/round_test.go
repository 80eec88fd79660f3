package result

import "testing"

func TestPercent(t *testing.T) {
	tests := []struct {
		part, whole int
		want        float64
	}{
		{0, 0, 0}, {5, 0, 0}, {0, 7, 0}, {7, 7, 100}, {1, 3, 33.3}, {2, 3, 66.7}, {1, 8, 12.5}, {1, 1000, 0.1}, {1, 3000, 0},
	}
	for _, tt := range tests {
		if got := Percent(tt.part, tt.whole); got != tt.want {
			t.Errorf("Percent(%d, %d) = %v, want %v", tt.part, tt.whole, got, tt.want)
		}
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		x      float64
		places int
		want   float64
	}{
		{0.12345, 3, 0.123}, {0.1235, 3, 0.124}, {2.0 / 3, 3, 0.667}, {45.55, 1, 45.6}, {1, 3, 1}, {0.0004, 3, 0},
	}
	for _, tt := range tests {
		if got := Round(tt.x, tt.places); got != tt.want {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.places, got, tt.want)
		}
	}
}
