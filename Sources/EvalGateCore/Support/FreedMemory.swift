#if canImport(Glibc)
    import CMalloc
#endif

/// The run keeps freed blocks on the heap for reuse (`EvalGate.tuneAllocator`
/// turns off glibc's mmap and trimming, which would zero-fill fresh pages on
/// every large allocation). Reading leaves holes the next stage's arrays do
/// not fit: on the realistic 10M-row gate 380 MiB of freed heap stayed
/// resident after the files were read and keyed. After a stage that frees
/// much, `giveBack` returns the heap's free pages to the kernel. The next
/// stage then faults fresh pages in, which costs about 5% of a run, so it
/// is done only where memory binds: from 2M rows (a peak of 350 MiB) up.
enum FreedMemory {
    static let fromRows = 2_000_000

    static func giveBack(rows: Int) {
        guard rows >= fromRows else { return }
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }
}
