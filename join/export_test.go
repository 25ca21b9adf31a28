package join

// SetReplyExpiry turns off (false) or on the expiry of unanswered calls,
// for the negative control of the reply property; it returns a function
// that restores the previous setting.
func SetReplyExpiry(on bool) (restore func()) {
	old := noExpiry
	noExpiry = !on
	return func() { noExpiry = old }
}

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
