package join

import "github.com/gochord/chord/guard"

// SetReplyExpiry turns off (false) or on the expiry of unanswered calls,
// for the negative control of the reply property; it returns a function
// that restores the previous setting.
func SetReplyExpiry(on bool) (restore func()) {
	old := noExpiry
	noExpiry = !on
	return func() { noExpiry = old }
}

// Ready reports whether p's Wait would return now without blocking (a
// probe of the matcher for tests).
func (p *Pattern) Ready() bool { return p.ready() }

// Stats returns p's firings and the wakeups of its owner among them.
func (p *Pattern) Stats() (firings, wakeups int64) {
	return p.GuardOps().(guard.Counter).Stats()
}

// Describe says what p's parts have and lack (guard.Describer).
func (p *Pattern) Describe() string { return p.GuardOps().(guard.Describer).Describe() }

// SetWhereRecount turns off (false) or on the recount of the messages a
// selective part's predicate accepts, for the negative control of the
// selective property: without it a pattern forgets the accepted messages
// that wait behind rejected ones. It returns a function that restores the
// previous setting.
func SetWhereRecount(on bool) (restore func()) {
	old := noWhereRecount
	noWhereRecount = !on
	return func() { noWhereRecount = old }
}
