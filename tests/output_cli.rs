//! Tables honour `COLUMNS`, use 100 columns on a terminal that reports 0×0 (a `script`
//! pseudo-terminal, as CI jobs use), and never cut a word, id or date; `--color`.

mod common;

use common::Project;

/// A pipeline whose triggers make a wide, wrappable cell.
fn project_with_wide_table() -> Project {
    let p = Project::new();
    let triggers: String = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    ]
    .iter()
    .map(|t| format!("  - event: custom.{t}-happened\n"))
    .collect();
    p.write(
        "pipelines/a-pipeline-with-a-long-name.yaml",
        &format!("name: a-pipeline-with-a-long-name\ntriggers:\n{triggers}steps:\n  - name: s\n    type: emit\n    config: {{event: custom.x}}\n"),
    );
    p
}

fn widths(text: &str) -> Vec<usize> {
    text.lines().map(|l| l.chars().count()).collect()
}

#[test]
fn columns_is_honoured_and_words_are_not_cut() {
    let p = project_with_wide_table();
    let out = p.run_with(&["pipeline", "list"], &[("COLUMNS", "90")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        widths(&out.stdout).iter().all(|w| *w <= 90),
        "{}",
        out.stdout
    );
    assert!(out.stdout.lines().count() > 5, "wrapped:\n{}", out.stdout);
    assert!(
        out.stdout.contains("a-pipeline-with-a-long-name"),
        "{}",
        out.stdout
    );
    for t in ["custom.alpha-happened", "custom.hotel-happened"] {
        assert!(out.stdout.contains(t), "`{t}` cut:\n{}", out.stdout);
    }
    // Narrower than the longest words: the table grows rather than cut one.
    let out = p.run_with(&["pipeline", "list"], &[("COLUMNS", "20")]);
    assert!(
        out.stdout.contains("a-pipeline-with-a-long-name"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("custom.charlie-happened"),
        "{}",
        out.stdout
    );
    // Without COLUMNS and not on a terminal: one line per row.
    let out = p.run(&["pipeline", "list"]);
    assert_eq!(out.stdout.lines().count(), 5, "{}", out.stdout);
}

#[test]
fn a_terminal_of_size_0x0_gets_100_columns() {
    let p = project_with_wide_table();
    let bin = assert_cmd::cargo::cargo_bin("mockops");
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("{} pipeline list", bin.display()))
        .arg("/dev/null")
        .current_dir(p.root())
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux)");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{text}");
    let w = widths(&text);
    let widest = w.iter().copied().max().unwrap_or(0);
    assert!(widest <= 100 && widest > 60, "{widest} columns:\n{text}");
    assert!(text.contains("a-pipeline-with-a-long-name"), "{text}");
    assert!(text.contains("custom.foxtrot-happened"), "{text}");
}

#[test]
fn color_always_never_and_term_dumb() {
    let p = Project::new();
    let esc = "\u{1b}[";
    let out = p.run(&["--color", "always", "event", "show", "nope"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(esc), "{:?}", out.stderr);
    let out = p.run(&["event", "show", "nope", "--color", "never"]);
    assert!(!out.stderr.contains(esc), "{:?}", out.stderr);
    // On a terminal, auto colours unless TERM=dumb.
    let bin = assert_cmd::cargo::cargo_bin("mockops");
    let on_tty = |term: &str| {
        let out = std::process::Command::new("script")
            .args(["-q", "-c"])
            .arg(format!("{} event show nope", bin.display()))
            .arg("/dev/null")
            .current_dir(p.root())
            .env_remove("NO_COLOR")
            .env("TERM", term)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(on_tty("xterm").contains(esc), "{:?}", on_tty("xterm"));
    assert!(!on_tty("dumb").contains(esc), "{:?}", on_tty("dumb"));
}
