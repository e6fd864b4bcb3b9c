package activitywatch

import "sort"

func sortBuckets(bs []Bucket) {
	sort.Slice(bs, func(i, j int) bool { return bs[i].ID < bs[j].ID })
}
