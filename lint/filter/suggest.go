package filter

import "strings"

// Suggest returns the candidate closest to a misspelt word, or "" when none is close. Case,
// dashes and underscores are ignored (fail-on finds failOn), and a swap of two neighbouring
// letters counts as one edit (levle finds level).
func Suggest(word string, candidates []string) string {
	w := normalize(word)
	best, bestDist := "", max(1, len(w)/4)+1
	for _, c := range candidates {
		if d := editDistance(w, normalize(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func normalize(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
}

// editDistance is the optimal string alignment distance between a and b: insertions, deletions,
// substitutions and swaps of neighbours each cost one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
