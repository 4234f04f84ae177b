//! The `mockops` binary: everything lives in the library.

/// mimalloc rather than glibc's malloc: the gateway (`federation serve`) allocates and
/// frees a few dozen small blocks per request, which mimalloc's per-thread free lists do
/// in fewer instructions, and it gives freed memory back to the system, where glibc's
/// arenas kept the peak of the recorder's buffer for good (README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(mockops::run());
}
