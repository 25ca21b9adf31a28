package buffer_test

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gochord/chord/buffer"
	"github.com/gochord/chord/chanop"
	"github.com/gochord/chord/join"
	"github.com/gochord/chord/selectx"
)

func ExampleNew() {
	b := buffer.New[string](2)
	b.Send("a") // room: returns at once
	b.Send("b")
	fmt.Println(b.Len(), b.Cap())

	// A full buffer's send guard is not ready; a select takes the default.
	send := b.SendOp("c")
	g, _ := selectx.PriSelect(send, chanop.Skip())
	fmt.Println("sent c:", g == send)

	b.Close()
	for {
		s, err := b.Recv()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(s)
	}
	// Output:
	// 2 2
	// sent c: false
	// a
	// b
	// chanop: channel closed
}

// PolyphonicBuffer is Polyphonic C#'s first example, a chord of a
// synchronous method and an asynchronous one:
//
//	public class Buffer {
//	    public string Get() & public async Put(string s) { return s; }
//	}
//
// Put never blocks: its message waits, in order, for a Get. Get blocks until
// there is a Put to match. That is an Unbounded buffer.
type PolyphonicBuffer struct {
	puts *buffer.Buffer[string]
}

func NewPolyphonicBuffer() PolyphonicBuffer {
	return PolyphonicBuffer{buffer.Unbounded[string]()}
}

// Put is "async Put(string s)": it returns at once.
func (b PolyphonicBuffer) Put(s string) { b.puts.Send(s) }

// Get is "string Get() & Put(s) { return s; }".
func (b PolyphonicBuffer) Get() string {
	s, _ := b.puts.Recv()
	return s
}

func Example_polyphonicBuffer() {
	b := NewPolyphonicBuffer()
	got := make(chan string)
	go func() { // Get blocks: nothing has been Put yet
		got <- b.Get() + " " + b.Get()
	}()
	b.Put("hello") // never blocks, whether a Get waits or not
	b.Put("world")
	b.Put("!")
	fmt.Println(<-got)
	fmt.Println(b.Get())
	// Output:
	// hello world
	// !
}

// Dining philosophers: each chopstick is a one-place buffer holding the
// chopstick while it lies on the table. A philosopher eats when one join
// pattern takes both neighbouring chopsticks at once (so no philosopher
// ever holds one and waits for the other: no deadlock), and puts them
// back with Send, which never blocks: the chopstick's place is empty while
// the philosopher holds it. The release is asynchronous, as the join
// calculus wants it, without a helper goroutine.
func Example_diningPhilosophers() {
	const n, meals = 5, 100
	chopsticks := make([]*buffer.Buffer[int], n)
	for i := range chopsticks {
		chopsticks[i] = buffer.New[int](1)
		chopsticks[i].Send(i) // on the table
	}
	ate := make([]int, n)
	var wg sync.WaitGroup
	for p := range n {
		left, right := chopsticks[p], chopsticks[(p+1)%n]
		wg.Go(func() {
			both := join.Each(left, right)
			eat := join.All(both)
			for range meals {
				if err := eat.Wait(); err != nil { // both chopsticks, atomically
					panic(err)
				}
				ate[p]++
				l, r := both.Values()[0], both.Values()[1]
				left.Send(l) // never blocks
				right.Send(r)
			}
		})
	}
	wg.Wait()
	fmt.Println(ate)
	for _, c := range chopsticks {
		fmt.Print(c.Len())
	}
	fmt.Println(" chopsticks on the table")
	// Output:
	// [100 100 100 100 100]
	// 11111 chopsticks on the table
}

// OnePlace is Polyphonic C#'s one-place buffer, whose state is held by two
// asynchronous messages, each an Unbounded buffer:
//
//	public class OnePlaceBuffer {
//	    private async empty();
//	    private async contains(string s);
//	    public OnePlaceBuffer() { empty(); }
//	    public void Put(string s) & empty() { contains(s); }
//	    public string Get() & contains(string s) { empty(); return s; }
//	}
//
// Each chord becomes a join pattern over the asynchronous messages that the
// calling goroutine waits for, and its body runs in that goroutine, as in
// Polyphonic C#. Exactly one of empty and contains is pending at any time.
type OnePlace struct {
	empty    *buffer.Buffer[struct{}]
	contains *buffer.Buffer[string]
}

func NewOnePlace() *OnePlace {
	o := &OnePlace{buffer.Unbounded[struct{}](), buffer.Unbounded[string]()}
	o.empty.Send(struct{}{})
	return o
}

// Put is "void Put(string s) & empty() { contains(s); }": it waits for the
// place to be empty.
func (o *OnePlace) Put(s string) {
	if err := join.All(join.From(o.empty)).Wait(); err != nil {
		panic(err)
	}
	o.contains.Send(s)
}

// Get is "string Get() & contains(string s) { empty(); return s; }".
func (o *OnePlace) Get() string {
	c := join.From(o.contains)
	if err := join.All(c).Wait(); err != nil {
		panic(err)
	}
	o.empty.Send(struct{}{})
	return c.Values()[0]
}

func Example_onePlaceBuffer() {
	o := NewOnePlace()
	go func() {
		for _, s := range strings.Fields("one place at a time") {
			o.Put(s) // blocks until the previous one was taken
		}
	}()
	var got []string
	for range 5 {
		got = append(got, o.Get())
	}
	fmt.Println(strings.Join(got, " "))
	// Output: one place at a time
}

// The README's Polyphonic C# buffer, Get() & async Put(s).
func Example_tourGetPut() {
	puts := buffer.Unbounded[string]() // async Put: never blocks
	get := join.From(puts)             // Get() & Put(s)
	p := join.All(get)
	puts.Send("hello")
	_ = p.Wait()
	fmt.Println(get.Values()[0]) // hello
	// Output: hello
}
