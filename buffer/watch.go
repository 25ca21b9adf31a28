package buffer

import "github.com/gochord/chord/chanop"

var _ chanop.Watchable = (*RecvOp[int])(nil)

// Watch implements chanop.Watchable: e listens on r's buffer, which
// notifies its listeners whenever a message is stored, a sender queues or
// the buffer closes.
func (r *RecvOp[T]) Watch(e *chanop.Entry) { r.b.listeners.PushBack(e) }

// Unwatch implements chanop.Watchable.
func (r *RecvOp[T]) Unwatch(e *chanop.Entry) { r.b.listeners.Remove(e) }
