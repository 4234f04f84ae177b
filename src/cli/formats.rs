//! Which `--format` values each command accepts. Every leaf command gets its own `--format`
//! whose possible values are only those, so help and shell completions list them; the
//! `--format` before the subcommand (`mockops --format json event list`) accepts any value
//! and is checked against the same list when the command runs.

use super::output::Format;
use clap::builder::PossibleValuesParser;
use clap::{Arg, Command};

/// The formats of the command at `path` (subcommand names below `mockops`).
pub fn accepted(path: &[&str]) -> &'static [Format] {
    use Format::*;
    match path {
        ["schema", "diff"] => &[Text, Table, Json, Markdown, Sarif, Github],
        ["schema", "check"] => &[Table, Text, Json, Sarif, Junit, Github],
        ["pipeline", "validate"] | ["federation", "validate"] | ["hook", "run"] => {
            &[Table, Text, Json, Sarif, Github]
        }
        ["pipeline", "run"] | ["event", "emit"] | ["event", "replay"] | ["drift", "check"] => {
            &[Table, Text, Json, Junit]
        }
        ["coverage", "report"] => &[Table, Text, Json, Markdown, Html, Junit],
        ["federation", "graph"] => &[Text, Json, Mermaid, Dot],
        _ => &[Table, Text, Json],
    }
}

/// The help line of a command's `--format`.
fn help(formats: &[Format]) -> String {
    let names: Vec<String> = formats.iter().map(|f| f.to_string()).collect();
    format!("Output format: {}", names.join(", "))
}

/// `cmd` with a `--format` on every leaf command, limited to what that command accepts.
pub fn with_formats(cmd: Command) -> Command {
    fn walk(cmd: Command, path: &mut Vec<String>) -> Command {
        if cmd.get_subcommands().next().is_none() {
            if cmd.get_name() == "completions" {
                return cmd;
            }
            let names: Vec<&str> = path.iter().map(String::as_str).collect();
            let formats = accepted(&names);
            let values: Vec<clap::builder::PossibleValue> = formats
                .iter()
                .filter_map(clap::ValueEnum::to_possible_value)
                .collect();
            return cmd.arg(
                Arg::new(LEAF_ID)
                    .long("format")
                    .value_name("FORMAT")
                    .help(help(formats))
                    .value_parser(PossibleValuesParser::new(values)),
            );
        }
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let mut cmd = cmd;
        for name in names {
            path.push(name.clone());
            cmd = cmd.mut_subcommand(&name, |sub| walk(sub, path));
            path.pop();
        }
        cmd
    }
    let root: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut cmd = cmd;
    for name in root {
        let mut path = vec![name.clone()];
        cmd = cmd.mut_subcommand(&name, |sub| walk(sub, &mut path));
    }
    cmd
}

/// The id of a leaf command's `--format`.
pub const LEAF_ID: &str = "leaf_format";

/// The subcommand path of `matches` and the leaf's `--format`, if given.
pub fn leaf(matches: &clap::ArgMatches) -> (Vec<String>, Option<Format>) {
    let mut path = Vec::new();
    let mut current = matches;
    while let Some((name, sub)) = current.subcommand() {
        path.push(name.to_string());
        current = sub;
    }
    let format = current
        .try_get_one::<String>(LEAF_ID)
        .ok()
        .flatten()
        .and_then(|name| <Format as clap::ValueEnum>::from_str(name, false).ok());
    (path, format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn leaf_commands_list_only_their_formats() {
        let cmd = with_formats(super::super::Cli::command());
        let diff = cmd
            .find_subcommand("schema")
            .and_then(|c| c.find_subcommand("diff"))
            .expect("schema diff");
        let arg = diff
            .get_arguments()
            .find(|a| a.get_id() == LEAF_ID)
            .expect("--format");
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(
            values,
            ["text", "table", "json", "markdown", "sarif", "github"]
        );
        let list = cmd
            .find_subcommand("event")
            .and_then(|c| c.find_subcommand("list"))
            .expect("event list");
        let values: Vec<String> = list
            .get_arguments()
            .find(|a| a.get_id() == LEAF_ID)
            .expect("--format")
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(values, ["table", "text", "json"]);
    }
}
