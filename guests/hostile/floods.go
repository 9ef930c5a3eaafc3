package main

import (
	"fmt"

	"github.com/walkerhost/walkerhost/sdk"
)

// nows sums what callflood reads, so that the calls have an effect to keep.
var nows int64

func init() {
	// callflood makes host calls without end: only the host-call limit
	// (or the deadline) ends it.
	hostile("callflood", func(*sdk.Visit) error {
		for {
			nows += sdk.Now()
		}
	})
	// printflood writes lines to stdout without end: the host keeps
	// max_log_bytes of them, and a limit ends the run.
	hostile("printflood", func(*sdk.Visit) error {
		for i := 0; ; i++ {
			fmt.Println("flood line", i)
		}
	})
}
