//! `completions/` holds the generated scripts; this test fails when they are stale.
//! Regenerate with: for s in bash zsh fish powershell elvish; do mockops completions $s > completions/mockops.$s; done

mod common;

#[test]
fn completions_are_current() {
    let p = common::Project::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = p.run(&["completions", shell]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.len() > 200, "{shell} script is too short");
        let file = root.join(format!("mockops.{shell}"));
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "{} is stale: regenerate with `mockops completions {shell} > {}`",
            file.display(),
            file.display()
        );
    }
}
