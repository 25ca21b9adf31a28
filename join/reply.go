package join

// This file is the pattern's side of replies: which calls a firing took,
// and their expiry when the pattern is run by a select again. See call.go
// for the call's side and the Invariants.

// noExpiry breaks the reply rule for a negative control (export_test.go):
// unanswered calls are never expired. Always false outside that test.
var noExpiry bool

// expirer is a taken call that may still be owed a reply (*Request).
type expirer interface{ expire() }

// replyPart is a part that can list the calls its last firing took.
type replyPart interface {
	takesCalls() bool
	appendTaken(dst []expirer) []expirer
}

// takesCalls reports whether p's messages are calls (T is a *Request):
// decided once, by All.
func (p *Part[T]) takesCalls() bool {
	var zero T
	_, ok := any(zero).(expirer)
	return ok
}

// appendTaken appends the requests p took in its last firing.
func (p *Part[T]) appendTaken(dst []expirer) []expirer {
	for _, v := range p.vals {
		if x, ok := any(v).(expirer); ok {
			dst = append(dst, x)
		}
	}
	return dst
}

// replies is a pattern's reply state; Pattern.replies is nil when no part
// takes calls, so a pattern without calls pays one nil check per select.
// Guarded by the pattern's locks.
type replies struct {
	parts []replyPart // the parts that take calls
	owed  []expirer   // the calls the last firing took; expired by the next select
}

// newReplies returns the reply state for parts, or nil if none takes calls.
func newReplies(parts []Conjunct) *replies {
	var rs *replies
	for _, c := range parts {
		if rp, ok := c.(replyPart); ok && rp.takesCalls() {
			if rs == nil {
				rs = &replies{}
			}
			rs.parts = append(rs.parts, rp)
		}
	}
	return rs
}

// expireReplies ends, with ErrNoReply, the wait of every call that the
// pattern's last firing took and that its owner has not answered: a select
// is running the pattern again (Poll, Commit or Enqueue). Locks held.
func (p *Pattern) expireReplies() {
	if p.replies != nil && len(p.replies.owed) > 0 && !noExpiry {
		p.replies.expire()
	}
}

func (rs *replies) expire() {
	for _, x := range rs.owed {
		x.expire() // a no-op for calls already answered or closed
	}
	clear(rs.owed)
	rs.owed = rs.owed[:0]
}

// recordTaken notes the calls of the firing that just took its messages.
// Locks held.
func (p *Pattern) recordTaken() {
	rs := p.replies
	if rs == nil {
		return
	}
	if !noExpiry {
		rs.expire() // nothing is left here in normal use: the select that fired ran expireReplies
	}
	clear(rs.owed)
	rs.owed = rs.owed[:0]
	for _, rp := range rs.parts {
		rs.owed = rp.appendTaken(rs.owed)
	}
}
