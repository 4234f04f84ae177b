//! The `mockops` binary: everything lives in the library.

fn main() {
    std::process::exit(mockops::run());
}
