fn main() { mockops::run() }
