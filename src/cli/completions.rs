//! `mockops completions SHELL`.

use super::output::Printer;
use anyhow::Result;
use clap_complete::Shell;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: Shell,
}

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut cmd = super::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "mockops", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

pub fn run(args: CompletionsArgs, out: &Printer) -> Result<()> {
    out.print(&script(args.shell));
    Ok(())
}
