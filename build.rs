//! Links the `mockops` binary as a position-dependent executable: it then needs no
//! load-time relocation of its ~50,000 pointers, which is most of what `mockops --version`
//! spent before reaching `main`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
