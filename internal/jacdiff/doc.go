// Package jacdiff holds the differential test of the Jac runtime: every
// program of testdata/jac runs under jaclang, the reference implementation
// (pinned, installed by scripts/deps.sh), and through this host's `jac run`,
// and both outputs must equal the recorded NAME.out. The package has no
// code besides its tests and the line diff they print.
package jacdiff
