package sandbox

// CompilePeak is the most compilations e has run at once.
func CompilePeak(e *Engine) int { return int(e.gate.peak.Load()) }
