//! The CI run id from the CI's own environment variables.
//!
//! Checked in this order (the first one set and non-empty wins): GitHub Actions
//! `GITHUB_RUN_ID`, GitLab `CI_PIPELINE_ID`, Buildkite `BUILDKITE_BUILD_ID`, CircleCI
//! `CIRCLE_WORKFLOW_ID` then `CIRCLE_BUILD_NUM`, Azure Pipelines `BUILD_BUILDID`, Jenkins
//! `BUILD_TAG` then `BUILD_ID`. Jenkins comes last because `BUILD_ID` is a generic name
//! other tools set too; `BUILD_TAG` (`jenkins-<job>-<n>`) is preferred as it is unique
//! across jobs.

use std::collections::HashMap;

/// The variables, in order of precedence.
pub const CI_RUN_VARIABLES: &[&str] = &[
    "GITHUB_RUN_ID",
    "CI_PIPELINE_ID",
    "BUILDKITE_BUILD_ID",
    "CIRCLE_WORKFLOW_ID",
    "CIRCLE_BUILD_NUM",
    "BUILD_BUILDID",
    "BUILD_TAG",
    "BUILD_ID",
];

/// The CI run id of the environment, if it is a CI's.
pub fn ci_run_from_env(env: &HashMap<String, String>) -> Option<String> {
    CI_RUN_VARIABLES
        .iter()
        .filter_map(|name| env.get(*name))
        .map(|value| value.trim())
        .find(|value| !value.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn each_ci_is_recognised() {
        for (name, value) in [
            ("GITHUB_RUN_ID", "1234"),
            ("CI_PIPELINE_ID", "99"),
            ("BUILDKITE_BUILD_ID", "0188-abc"),
            ("CIRCLE_WORKFLOW_ID", "wf-1"),
            ("CIRCLE_BUILD_NUM", "17"),
            ("BUILD_BUILDID", "555"),
            ("BUILD_TAG", "jenkins-app-8"),
            ("BUILD_ID", "8"),
        ] {
            assert_eq!(
                ci_run_from_env(&env(&[(name, value)])).as_deref(),
                Some(value),
                "{name}"
            );
        }
        assert_eq!(ci_run_from_env(&env(&[("HOME", "/root")])), None);
    }

    #[test]
    fn precedence_and_blank_values() {
        let both = env(&[
            ("BUILD_ID", "8"),
            ("GITHUB_RUN_ID", "77"),
            ("BUILD_TAG", "jenkins-x-8"),
        ]);
        assert_eq!(ci_run_from_env(&both).as_deref(), Some("77"));
        let jenkins = env(&[("BUILD_ID", "8"), ("BUILD_TAG", "jenkins-x-8")]);
        assert_eq!(ci_run_from_env(&jenkins).as_deref(), Some("jenkins-x-8"));
        let blank = env(&[("GITHUB_RUN_ID", "  "), ("CI_PIPELINE_ID", "12")]);
        assert_eq!(ci_run_from_env(&blank).as_deref(), Some("12"));
    }
}
