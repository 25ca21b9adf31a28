package join

// SetReplyExpiry turns off (false) or on the expiry of unanswered calls,
// for the negative control of the reply property; it returns a function
// that restores the previous setting.
func SetReplyExpiry(on bool) (restore func()) {
	old := noExpiry
	noExpiry = !on
	return func() { noExpiry = old }
}
