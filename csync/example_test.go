package csync_test

import (
	"fmt"

	"github.com/gochord/chord/csync"
)

// The primitives are used as sync's are: here a WaitGroup waits for
// workers that add to a total under a Mutex, and a Once initializes it.
func Example() {
	var (
		mu    csync.Mutex
		wg    csync.WaitGroup
		once  csync.Once
		total int
	)
	for i := 1; i <= 10; i++ {
		wg.Go(func() {
			once.Do(func() { total = 1000 })
			mu.Lock()
			total += i
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Println(total)
	// Output: 1055
}
