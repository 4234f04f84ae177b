//! The CI run of the environment, from the CI's own variables: its id, and the branch
//! (or ref), job, workflow and attempt it ran for.
//!
//! The run id is checked in this order (the first one set and non-empty wins):
//! `MOCKOPS_CI_RUN` (an override for any CI), GitHub Actions `GITHUB_RUN_ID`, GitLab
//! `CI_PIPELINE_ID`, Buildkite `BUILDKITE_BUILD_ID`, CircleCI `CIRCLE_WORKFLOW_ID` then
//! `CIRCLE_BUILD_NUM`, Azure Pipelines `BUILD_BUILDID`, Jenkins `BUILD_TAG` then
//! `BUILD_ID`. Jenkins comes last because `BUILD_ID` is a generic name other tools set
//! too; `BUILD_TAG` (`jenkins-<job>-<n>`) is preferred as it is unique across jobs.
//!
//! The CI whose run id was found also names the branch, job and workflow
//! ([`PROVIDERS`]); `MOCKOPS_BRANCH` and `MOCKOPS_CI_JOB` override them. Outside CI
//! nothing is read (not even `git`): exchanges without a CI run have no branch.

use crate::store::CiRun;
use std::collections::HashMap;

/// A CI's variables: run ids (in order), then branch, job, workflow and attempt
/// candidates (the first set and non-empty wins).
pub struct Provider {
    pub name: &'static str,
    pub run: &'static [&'static str],
    pub branch: &'static [&'static str],
    pub job: &'static [&'static str],
    pub workflow: &'static [&'static str],
    pub attempt: &'static [&'static str],
}

/// Every CI known, in order of precedence of their run ids.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "mockops",
        run: &["MOCKOPS_CI_RUN"],
        branch: &[],
        job: &[],
        workflow: &[],
        attempt: &[],
    },
    Provider {
        name: "github",
        run: &["GITHUB_RUN_ID"],
        // A pull request's own branch, else the branch or tag that was pushed.
        branch: &["GITHUB_HEAD_REF", "GITHUB_REF_NAME"],
        job: &["GITHUB_JOB"],
        workflow: &["GITHUB_WORKFLOW"],
        attempt: &["GITHUB_RUN_ATTEMPT"],
    },
    Provider {
        name: "gitlab",
        run: &["CI_PIPELINE_ID"],
        branch: &["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME"],
        job: &["CI_JOB_NAME"],
        workflow: &["CI_PIPELINE_NAME"],
        attempt: &[],
    },
    Provider {
        name: "buildkite",
        run: &["BUILDKITE_BUILD_ID"],
        branch: &["BUILDKITE_BRANCH"],
        job: &["BUILDKITE_LABEL", "BUILDKITE_STEP_KEY"],
        workflow: &["BUILDKITE_PIPELINE_SLUG"],
        attempt: &["BUILDKITE_RETRY_COUNT"],
    },
    Provider {
        name: "circleci",
        run: &["CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM"],
        branch: &["CIRCLE_BRANCH", "CIRCLE_TAG"],
        job: &["CIRCLE_JOB"],
        workflow: &[],
        attempt: &[],
    },
    Provider {
        name: "azure",
        run: &["BUILD_BUILDID"],
        branch: &["SYSTEM_PULLREQUEST_SOURCEBRANCH", "BUILD_SOURCEBRANCH"],
        job: &["SYSTEM_JOBDISPLAYNAME", "AGENT_JOBNAME"],
        workflow: &["BUILD_DEFINITIONNAME"],
        attempt: &["SYSTEM_JOBATTEMPT"],
    },
    Provider {
        name: "jenkins",
        run: &["BUILD_TAG", "BUILD_ID"],
        branch: &["CHANGE_BRANCH", "BRANCH_NAME", "GIT_BRANCH"],
        job: &["JOB_NAME"],
        workflow: &[],
        attempt: &[],
    },
];

/// Overrides of the branch and the job, for any CI (or none).
pub const BRANCH_OVERRIDE: &str = "MOCKOPS_BRANCH";
pub const JOB_OVERRIDE: &str = "MOCKOPS_CI_JOB";

/// Every variable read, for documentation and for tests that clear them.
pub fn variables() -> Vec<&'static str> {
    let mut all = Vec::new();
    for p in PROVIDERS {
        for list in [p.run, p.branch, p.job, p.workflow, p.attempt] {
            all.extend_from_slice(list);
        }
    }
    all.extend([BRANCH_OVERRIDE, JOB_OVERRIDE]);
    all
}

fn first(env: &HashMap<String, String>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|name| env.get(*name))
        .map(|value| value.trim())
        .find(|value| !value.is_empty())
        .map(str::to_string)
}

/// A ref as branches are usually named: `refs/heads/main` → `main`.
fn short_ref(value: String) -> String {
    for prefix in ["refs/heads/", "refs/tags/", "origin/"] {
        if let Some(rest) = value.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    value
}

/// The CI run id of the environment, if it is a CI's.
pub fn ci_run_from_env(env: &HashMap<String, String>) -> Option<String> {
    PROVIDERS.iter().find_map(|p| first(env, p.run))
}

/// The CI run of the environment for exchanges recorded under `run` (the `--ci-run`
/// flag, else the environment's own id): its branch, job, workflow and attempt come from
/// the CI the environment is (the one whose run id is set). `None` without a run id.
pub fn ci_context(env: &HashMap<String, String>, run: Option<&str>) -> Option<CiRun> {
    let provider = PROVIDERS.iter().find(|p| first(env, p.run).is_some());
    let run = run
        .map(str::to_string)
        .or_else(|| provider.and_then(|p| first(env, p.run)))?;
    let from =
        |pick: fn(&Provider) -> &'static [&'static str]| provider.and_then(|p| first(env, pick(p)));
    Some(CiRun {
        run,
        provider: provider.map_or("none", |p| p.name).to_string(),
        branch: first(env, &[BRANCH_OVERRIDE])
            .or_else(|| from(|p| p.branch))
            .map(short_ref),
        job: first(env, &[JOB_OVERRIDE]).or_else(|| from(|p| p.job)),
        workflow: from(|p| p.workflow),
        attempt: from(|p| p.attempt),
    })
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
            ("MOCKOPS_CI_RUN", "local-1"),
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
        let overridden = env(&[("GITHUB_RUN_ID", "77"), ("MOCKOPS_CI_RUN", "mine")]);
        assert_eq!(ci_run_from_env(&overridden).as_deref(), Some("mine"));
    }

    #[test]
    fn github_gives_the_pull_requests_branch_else_the_pushed_ref() {
        let push = env(&[
            ("GITHUB_RUN_ID", "77"),
            ("GITHUB_RUN_ATTEMPT", "2"),
            ("GITHUB_REF_NAME", "main"),
            ("GITHUB_HEAD_REF", ""),
            ("GITHUB_JOB", "test"),
            ("GITHUB_WORKFLOW", "CI"),
        ]);
        assert_eq!(
            ci_context(&push, None),
            Some(CiRun {
                run: "77".into(),
                provider: "github".into(),
                branch: Some("main".into()),
                job: Some("test".into()),
                workflow: Some("CI".into()),
                attempt: Some("2".into()),
            })
        );
        let mut pr = push.clone();
        pr.insert("GITHUB_HEAD_REF".into(), "feature/x".into());
        pr.insert("GITHUB_REF_NAME".into(), "12/merge".into());
        let context = ci_context(&pr, None).unwrap();
        assert_eq!(context.branch.as_deref(), Some("feature/x"));
    }

    #[test]
    fn gitlab_azure_and_the_overrides() {
        let gitlab = env(&[
            ("CI_PIPELINE_ID", "99"),
            ("CI_COMMIT_REF_NAME", "release"),
            ("CI_JOB_NAME", "e2e"),
        ]);
        let context = ci_context(&gitlab, None).unwrap();
        assert_eq!(
            (context.provider.as_str(), context.branch, context.job),
            ("gitlab", Some("release".into()), Some("e2e".into()))
        );
        let azure = env(&[
            ("BUILD_BUILDID", "5"),
            ("BUILD_SOURCEBRANCH", "refs/heads/dev/a"),
        ]);
        assert_eq!(
            ci_context(&azure, None).unwrap().branch.as_deref(),
            Some("dev/a")
        );
        // A run named by the flag outside CI: the overrides still name branch and job.
        let local = env(&[("MOCKOPS_BRANCH", "spike"), ("MOCKOPS_CI_JOB", "laptop")]);
        let context = ci_context(&local, Some("manual-3")).unwrap();
        assert_eq!(
            (
                context.run.as_str(),
                context.provider.as_str(),
                context.branch.as_deref(),
                context.job.as_deref()
            ),
            ("manual-3", "none", Some("spike"), Some("laptop"))
        );
        assert_eq!(ci_context(&local, None), None);
        assert_eq!(ci_context(&env(&[]), None), None);
    }
}
