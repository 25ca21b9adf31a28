package buffer

import (
	"github.com/gochord/chord/guard"
)

var _ guard.Watchable = (*recvOps[int])(nil)

// Watch implements guard.Watchable: e listens on r's buffer, which
// notifies its listeners whenever a message is stored, a sender queues or
// the buffer closes.
func (r *recvOps[T]) Watch(e *guard.Entry) { r.b.listeners.PushBack(e) }

// Unwatch implements guard.Watchable.
func (r *recvOps[T]) Unwatch(e *guard.Entry) { r.b.listeners.Remove(e) }
