package sdk

import "github.com/walkerhost/walkerhost/abi"

// Report appends a value to the response's reports: nil, bool, int, int64,
// float64, string, []any, []string, map[string]any, Node, []Node or Edge,
// nested freely. Nodes and edges are reported as references the host
// expands with their fields.
func Report(value any) error {
	b, err := appendValue(enc[:0], value)
	if err != nil {
		return err
	}
	n := hostReport(b)
	enc = keep(b)
	if n < 0 {
		return hostErr(abi.FuncReport, n)
	}
	return nil
}

// output sets the response's result; the last call wins.
func output(value any) error {
	b, err := appendValue(enc[:0], value)
	if err != nil {
		return err
	}
	n := hostOutput(b)
	enc = keep(b)
	if n < 0 {
		return hostErr(abi.FuncOutput, n)
	}
	return nil
}

// outputFields sets the response's result to a walker's fields, as
// output(f) does without dispatching on f's type.
func outputFields(f *Fields) abi.Status {
	b, err := f.appendTo(enc[:0])
	if err != nil {
		return failed(err)
	}
	n := hostOutput(b)
	enc = keep(b)
	if n < 0 {
		return failed(hostErr(abi.FuncOutput, n))
	}
	return abi.StatusOK
}

// Level is a log level.
type Level int32

// Log levels.
const (
	LevelDebug Level = Level(abi.LogDebug)
	LevelInfo  Level = Level(abi.LogInfo)
	LevelWarn  Level = Level(abi.LogWarn)
	LevelError Level = Level(abi.LogError)
)

// Log writes one line to the host's log, which prefixes it with the module
// and walker names.
func Log(level Level, msg string) { hostLog(int32(level), msg) }

// Now returns the host's wall-clock time in Unix nanoseconds, with
// millisecond resolution.
func Now() int64 { return hostNow() }
