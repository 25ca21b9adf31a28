// Package bench is chord's benchmark suite: the standard synchronization
// problems of Turon and Russo's Scalable Join Patterns (OOPSLA 2011) —
// lock, semaphore, barrier, rendezvous, bounded producer/consumer,
// reader-writer lock, dining philosophers and Santa Claus — each written
// twice, once with chord (chanop, selectx, join, buffer) and once the way an
// experienced Go programmer writes it by hand (sync.Mutex, sync.Cond,
// sync.RWMutex, native channels), and run side by side in one
// `go test -bench` invocation.
//
// The package has no exported API: everything is in its _test.go files.
// Every workload's versions are also run by a test that checks they compute
// the same thing (counters reach the same totals, no two holders of a lock
// overlap, barrier phases do not interleave, and so on), so a benchmark
// never times an implementation that is wrong.
//
// Benchmark names are Workload/version/g=goroutines/work=spin, for example
// Lock/chord/g=4/work=500: version is chord or the name of a hand-written
// baseline (mutex, cond, chan, rwmutex), g the number of goroutines
// competing (n, the table size, for Philosophers), work the number of
// iterations of an arithmetic spin loop run between two synchronizations
// (0, or 500: about half a microsecond). One op is one synchronization: one
// critical section, one barrier phase, one exchange, one item, one meal,
// one group served by Santa. Besides ns/op every benchmark reports
// cpu-ns/op, the process's CPU time per op, which other processes on a
// shared machine do not inflate; join versions also report wakeups/firing
// (see join.Pattern.Stats).
//
// csync_test.go times package csync's Mutex, RWMutex, WaitGroup and Once
// against sync's (Csync<Workload>/csync|sync/…; select them with
// -bench=Csync).
//
// Reproduce the table of README.md with
//
//	go test -run=NONE -bench=. -benchtime=100ms -cpu 1,2 -count=6 ./bench | tee new.txt
//	benchstat new.txt
//	CHORD_BENCH=$PWD/new.txt go test -count=1 -run=RatioTable -v ./bench
package bench
