package apps

// Hold counts a request in the version app serves until the returned
// function is called: a request that never ends, as far as draining sees.
func Hold(r *Registry, app string) (release func()) {
	a, _ := r.App(app)
	v := a.acquire()
	return func() { v.inflight.Add(-1) }
}
