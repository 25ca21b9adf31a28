package props

// The events of package csync's locks (a Mutex or RWMutex locked, waited
// for, unlocked), which csync records through the same hook as chord's,
// and what a deadlock report says of them: for each blocked goroutine,
// the lock it waits for and who holds it, and the locks it holds.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gochord/chord/internal/sched"
)

// Event kinds of csync's locks. The message is the method: "Lock",
// "RLock", "TryLock", "Unlock", …
const (
	kindLockWait   = "waits for"    // a Lock or RLock found the lock taken and waits
	kindLock       = "locks"        // a Lock or TryLock took the lock
	kindRLock      = "read-locks"   // an RLock or TryRLock took it for reading
	kindUnlock     = "unlocks"      // an Unlock let it go
	kindReadUnlock = "read-unlocks" // an RUnlock
)

// lockEventLocked records an event of a csync lock l. c.mu is held.
func (c *controller) lockEventLocked(k sched.EventKind, l, v any) {
	method, _ := v.(string)
	read := strings.Contains(method, "RLock") || method == "RUnlock"
	var kind string
	switch k {
	case sched.Waiting:
		kind = kindLockWait
	case sched.Acquired:
		kind = kindLock
		if read {
			kind = kindRLock
		}
	case sched.Released:
		kind = kindUnlock
		if read {
			kind = kindReadUnlock
		}
	default:
		return
	}
	who := "?"
	if c.current != nil {
		who = c.current.name
	}
	name := c.nameLocked2(l, lockKind(l))
	c.annotateLocked(who, name, true)
	c.events = append(c.events, Event{Step: len(c.steps), Who: who, Kind: kind, Chan: name, Msg: method})
}

// lockKind names a kind of lock for events: "mutex" for a *csync.Mutex,
// "rwmutex" for a *csync.RWMutex.
func lockKind(l any) string {
	t := fmt.Sprintf("%T", l)
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return strings.ToLower(t)
}

// A lockHolder is a goroutine holding a csync lock.
type lockHolder struct {
	who  string
	read bool
}

// lockStateLocked replays the lock events: who holds each lock (in the
// order of the locks' names' first appearance), and the lock each
// goroutine waits for, if its last lock event is a wait. c.mu is held.
func (c *controller) lockStateLocked() (locks []string, held map[string][]lockHolder, waits map[string]string) {
	held, waits = map[string][]lockHolder{}, map[string]string{}
	for _, e := range c.events {
		switch e.Kind {
		case kindLockWait:
			waits[e.Who] = e.Chan
		case kindLock, kindRLock:
			delete(waits, e.Who)
			if !slices.Contains(locks, e.Chan) {
				locks = append(locks, e.Chan)
			}
			held[e.Chan] = append(held[e.Chan], lockHolder{e.Who, e.Kind == kindRLock})
		case kindUnlock, kindReadUnlock:
			// Any goroutine may unlock: take the unlocker's own hold if it
			// has one, else the first of that mode.
			hs, read := held[e.Chan], e.Kind == kindReadUnlock
			i := slices.Index(hs, lockHolder{e.Who, read})
			if i < 0 {
				i = slices.IndexFunc(hs, func(h lockHolder) bool { return h.read == read })
			}
			if i >= 0 {
				held[e.Chan] = slices.Delete(hs, i, i+1)
			}
		}
	}
	return locks, held, waits
}

// locksLocked says, for a deadlock report, which csync lock who waits for
// and who holds it, and which locks who holds: ", waiting for mutex 1
// (held by worker 1), holding mutex 0". It returns "" for a goroutine
// that neither waits for nor holds one. c.mu is held.
func (c *controller) locksLocked(who string) string {
	locks, held, waits := c.lockStateLocked()
	var b strings.Builder
	if l, ok := waits[who]; ok {
		fmt.Fprintf(&b, ", waiting for %s", l)
		if hs := held[l]; len(hs) > 0 {
			var ns []string
			read := true
			for _, h := range hs {
				ns = append(ns, h.who)
				read = read && h.read
			}
			b.WriteString(" (held by " + strings.Join(ns, ", "))
			if read {
				b.WriteString(" for reading")
			}
			b.WriteString(")")
		}
	}
	var mine []string
	for _, l := range locks {
		for _, h := range held[l] {
			if h.who == who {
				if h.read {
					l += " for reading"
				}
				mine = append(mine, l)
				break
			}
		}
	}
	if len(mine) > 0 {
		b.WriteString(", holding " + strings.Join(mine, ", "))
	}
	return b.String()
}
