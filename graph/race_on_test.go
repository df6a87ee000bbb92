//go:build race

package graph_test

// raceBuild: the race detector slows everything several times over; timing assertions log only.
const raceBuild = true
