package selectx_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/guard"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

// recovered runs f and returns what it panicked with, or nil.
func recovered(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestTypedNilAndZeroGuardsPanicWithPackageMessage: a typed nil guard (a
// nil *chanop.RecvOp, *join.Pattern, *buffer.SendOp… stored in a
// chanop.Guard, so not == nil) and a zero-value guard that no constructor
// made are refused, in every select and in guard.Wait, with a panic that
// names the package and the mistake — never a nil-pointer dereference,
// and never treated as ready.
//
// Regression test (issue 10, item 2): before, each of these crashed with
// "invalid memory address or nil pointer dereference" inside Poll or
// Locks, and the zero-value Pattern completed at once, taking nothing.
func TestTypedNilAndZeroGuardsPanicWithPackageMessage(t *testing.T) {
	guards := []struct {
		name, prefix string
		g            func() chanop.Guard
	}{
		{"nil *chanop.RecvOp", "chanop: ", func() chanop.Guard { return (*chanop.RecvOp[int])(nil) }},
		{"nil *chanop.SendOp", "chanop: ", func() chanop.Guard { return (*chanop.SendOp[int])(nil) }},
		{"zero chanop.RecvOp", "chanop: ", func() chanop.Guard { return new(chanop.RecvOp[int]) }},
		{"zero chanop.SendOp", "chanop: ", func() chanop.Guard { return new(chanop.SendOp[int]) }},
		{"nil *join.Pattern", "join: ", func() chanop.Guard { return (*join.Pattern)(nil) }},
		{"zero join.Pattern", "join: ", func() chanop.Guard { return new(join.Pattern) }},
		{"nil *join.CallOp", "join: ", func() chanop.Guard { return (*join.CallOp[int, int])(nil) }},
		{"zero join.CallOp", "join: ", func() chanop.Guard { return new(join.CallOp[int, int]) }},
		{"nil *buffer.RecvOp", "buffer: ", func() chanop.Guard { return (*buffer.RecvOp[int])(nil) }},
		{"nil *buffer.SendOp", "buffer: ", func() chanop.Guard { return (*buffer.SendOp[int])(nil) }},
		{"zero buffer.RecvOp", "buffer: ", func() chanop.Guard { return new(buffer.RecvOp[int]) }},
		{"zero buffer.SendOp", "buffer: ", func() chanop.Guard { return new(buffer.SendOp[int]) }},
	}
	runs := []struct {
		name string
		run  func(g chanop.Guard)
	}{
		{"Select", func(g chanop.Guard) { _, _ = selectx.Select(chanop.After(10*time.Millisecond), g) }},
		{"Select alone", func(g chanop.Guard) { _, _ = selectx.Select(g) }},
		{"PriSelect", func(g chanop.Guard) { _, _ = selectx.PriSelect(g, chanop.After(10*time.Millisecond)) }},
		{"Fair", func(g chanop.Guard) { var f selectx.Fair; _, _ = f.Select(g, chanop.After(10*time.Millisecond)) }},
		{"guard.Wait", func(g chanop.Guard) { _ = guard.Wait(g) }},
	}
	for _, gd := range guards {
		for _, rn := range runs {
			t.Run(gd.name+"/"+rn.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					r := recovered(func() { rn.run(gd.g()) })
					if r == nil {
						t.Fatalf("no panic: the guard was treated as a guard a select may run")
					}
					if _, ok := r.(runtime.Error); ok {
						t.Fatalf("panicked with a runtime error, not a misuse message: %v", r)
					}
					if msg := fmt.Sprint(r); !strings.HasPrefix(msg, gd.prefix) {
						t.Fatalf("panic %q, want prefix %q", msg, gd.prefix)
					}
				})
			})
		}
	}
}
