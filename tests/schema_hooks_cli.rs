//! `schema diff|check` and git hooks with real repositories and real `git commit`s.

mod common;
use common::{Backend, Project};
use serde_json::json;
use std::process::Command;

const R: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/realworld");

fn realworld(rel: &str) -> String {
    std::path::Path::new(R).join(rel).display().to_string()
}

fn git(p: &Project, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(p.root())
        .envs(p.state_url().map(|url| ("MOCKOPS_STATE", url)))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .env(
            "PATH",
            format!(
                "{}:{}",
                assert_cmd::cargo::cargo_bin("mockops")
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .expect("git")
}

const SPEC_V1: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n  /pets/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok}\n";
const SPEC_V2: &str = "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n";

fn project_with_spec(backend: Backend) -> Project {
    let p = Project::on(backend);
    p.write(
        "mockops.yaml",
        "specs:\n  - path: specs/pets.yaml\n  - path: specs/broken.yaml\n",
    );
    p.write("specs/pets.yaml", SPEC_V1);
    p.write(
        "specs/broken.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    p.write(
        "pipelines/on-change.yaml",
        "triggers:\n  - event: schema.changed\n    filters: { breaking_count: { gte: 1 } }\nsteps:\n  - name: note\n    type: run\n    config: { command: \"echo {{event.payload.spec_path}} {{event.payload.breaking_count}} >> changed.log\" }\n",
    );
    p
}

backends! {
    fn schema_diff_real_pair_json_and_fail_on(backend) {
        let p = Project::on(backend);
        let base = realworld("oasdiff/01-path-removed/base.yaml");
        let rev = realworld("oasdiff/01-path-removed/revision.yaml");
        let (code, v, _) = p.json(&["schema", "diff", &base, &rev]);
        assert_eq!(code, 0);
        assert_eq!(v["breaking_count"], json!(1));
        assert_eq!(v["changes"][0]["id"], "endpoint-removed");
        assert_eq!(
            p.run(&["schema", "diff", &base, &rev, "--fail-on", "breaking"])
                .code,
            1
        );
        let md = p.run(&["schema", "diff", &base, &rev, "--format", "markdown"]);
        assert!(md.stdout.contains("endpoint-removed"), "{}", md.stdout);
        let same = p.run(&["schema", "diff", &base, &base, "--fail-on", "any"]);
        assert_eq!(same.code, 0);
        p.write("bad.json", "{\"openapi\": \"3.0.0\", \"paths\": {");
        let bad = p.run(&["schema", "diff", "bad.json", &base]);
        assert_eq!(bad.code, 2);
        assert!(bad.stderr.contains("bad.json:1:"), "{}", bad.stderr);
    }
}

backends! {
    fn schema_diff_and_check_reject_a_malformed_document_with_its_place(backend) {
        let p = Project::on(backend);
        let head = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n";
        p.write(
            "good.yaml",
            &format!("{head}paths: {{/a: {{get: {{responses: {{\"200\": {{description: ok}}}}}}}}}}\n"),
        );
        p.write(
            "bad1.yaml",
            &format!("{head}paths: {{/a: {{get: {{responses: \"oops\"}}}}}}\n"),
        );
        let expected =
            "bad1.yaml:3:31: paths./a.get.responses: expected a mapping of status codes, found a string";
        let diff = p.run(&["schema", "diff", "good.yaml", "bad1.yaml"]);
        assert_eq!(diff.code, 2, "{}{}", diff.stdout, diff.stderr);
        assert!(diff.stderr.contains(expected), "{}", diff.stderr);
        assert!(
            !diff.stdout.contains("breaking"),
            "no report: {}",
            diff.stdout
        );
        let check = p.run(&["schema", "check", "bad1.yaml"]);
        assert_eq!(check.code, 2, "{}", check.stderr);
        assert!(check.stderr.contains(expected), "{}", check.stderr);
    }
}

backends! {
    fn schema_check_records_then_emits_and_dispatches(backend) {
        let p = project_with_spec(backend);
        let (code, v, err) = p.json(&["schema", "check"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["specs"][0]["status"], "recorded");
        let (_, events, _) = p.json(&["event", "list"]);
        assert_eq!(
            events.as_array().unwrap().len(),
            0,
            "the first snapshot emits nothing"
        );
        // formatting only: silent
        p.write("specs/pets.yaml", &format!("# a comment\n{SPEC_V1}"));
        let (_, v, _) = p.json(&["schema", "check"]);
        assert_eq!(v["specs"][0]["status"], "reformatted");
        // a breaking change: event + pipeline
        p.write("specs/pets.yaml", SPEC_V2);
        p.write("specs/broken.yaml", "openapi: 3.0.3\npaths: [\n");
        let (code, v, err) = p.json(&["schema", "check"]);
        assert_eq!(
            code, 2,
            "a spec that cannot load exits 2, the others are still checked: {err}"
        );
        assert!(err.contains("specs/broken.yaml"), "{err}");
        assert_eq!(v["specs"][0]["status"], "changed");
        assert_eq!(v["runs"][0]["status"], "succeeded");
        assert_eq!(p.read("changed.log").trim(), "specs/pets.yaml 1");
        let (_, events, _) = p.json(&["event", "list", "--type", "schema.changed"]);
        let payload = &events[0]["payload"];
        for key in [
            "spec_path",
            "spec_name",
            "schema_type",
            "old_hash",
            "new_hash",
            "breaking_count",
            "changes",
            "summary",
        ] {
            assert!(payload.get(key).is_some(), "payload lacks {key}");
        }
        assert_eq!(payload["schema_type"], "openapi");
        // unchanged now
        p.write(
            "specs/broken.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        let (code, v, _) = p.json(&["schema", "check", "specs/pets.yaml"]);
        assert_eq!(code, 0);
        assert_eq!(v["specs"][0]["status"], "unchanged");
        // --no-run stores the snapshot without emitting
        p.write("specs/pets.yaml", SPEC_V1);
        let (_, v, _) = p.json(&["schema", "check", "--no-run", "specs/pets.yaml"]);
        assert_eq!(v["specs"][0]["status"], "changed");
        assert_eq!(v["specs"][0]["event_id"], json!(null));
        let (_, v, _) = p.json(&["schema", "check", "specs/pets.yaml"]);
        assert_eq!(v["specs"][0]["status"], "unchanged");
    }
}

backends! {
    fn hooks_install_chain_block_and_uninstall_with_real_commits(backend) {
        let p = project_with_spec(backend);
        assert!(git(&p, &["init", "-q", "-b", "main"]).status.success());
        // a foreign hook that must keep running
        p.write(
            ".git/hooks/pre-commit",
            "#!/bin/sh\necho foreign >> foreign.log\n",
        );
        Command::new("chmod")
            .args(["+x", ".git/hooks/pre-commit"])
            .current_dir(p.root())
            .status()
            .unwrap();
        let out = p.run(&["hook", "install"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(p.path(".git/hooks/pre-commit.mockops-chained").exists());

        // nothing relevant staged: passes, the foreign hook ran
        p.write("README.txt", "hi");
        git(&p, &["add", "README.txt"]);
        let c = git(&p, &["commit", "-q", "-m", "readme"]);
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        assert_eq!(p.read("foreign.log").trim(), "foreign");

        // first commit of the spec records its snapshot
        git(&p, &["add", "-A"]);
        let c = git(&p, &["commit", "-q", "-m", "spec"]);
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));

        // an invalid pipeline blocks the commit
        p.write(
            "pipelines/bad.yaml",
            "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: nope}\n",
        );
        git(&p, &["add", "pipelines/bad.yaml"]);
        let c = git(&p, &["commit", "-q", "-m", "bad"]);
        assert!(
            !c.status.success(),
            "an invalid pipeline must block the commit"
        );
        assert!(
            String::from_utf8_lossy(&c.stderr).contains("pipelines/bad.yaml:3:"),
            "{}",
            String::from_utf8_lossy(&c.stderr)
        );
        git(&p, &["rm", "-q", "--cached", "pipelines/bad.yaml"]);
        std::fs::remove_file(p.path("pipelines/bad.yaml")).unwrap();

        // a staged breaking spec change runs the pipeline through schema check --staged
        p.write("specs/pets.yaml", SPEC_V2);
        git(&p, &["add", "specs/pets.yaml"]);
        let c = git(&p, &["commit", "-q", "-m", "breaking"]);
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
        assert_eq!(p.read("changed.log").trim(), "specs/pets.yaml 1");

        // a staged config change emits config.changed
        p.write("mockops.yaml", "specs:\n  - path: specs/pets.yaml\n");
        git(&p, &["add", "mockops.yaml"]);
        assert!(git(&p, &["commit", "-q", "-m", "cfg"]).status.success());
        let (_, events, _) = p.json(&["event", "list", "--type", "config.changed"]);
        assert_eq!(events[0]["payload"]["path"], "mockops.yaml");

        let out = p.run(&["hook", "uninstall"]);
        assert_eq!(out.code, 0);
        let restored = p.read(".git/hooks/pre-commit");
        assert!(restored.contains("foreign"), "{restored}");
    }
}

backends! {
    fn staged_federation_files_are_validated_before_a_commit_and_a_push(backend) {
        let p = Project::on(backend);
        assert!(git(&p, &["init", "-q", "-b", "main"]).status.success());
        git(&p, &["add", "-A"]);
        assert!(git(&p, &["commit", "-q", "--allow-empty", "-m", "init"])
            .status
            .success());
        let bad_level = "name: fb\nservices:\n  - name: a\n    base_path: /a\n    workspace_id: w\n    reality_level: mock_vv\n";
        for (content, place) in [
            (bad_level, "federations/bad.yaml:6:20"),
            ("name: fb\nservices: [\n", "federations/bad.yaml:"),
        ] {
            p.write("federations/bad.yaml", content);
            git(&p, &["add", "federations/bad.yaml"]);
            let out = p.run(&["hook", "run", "pre-commit"]);
            assert_eq!(
                out.code, 1,
                "{content:?} must block the commit: {}",
                out.stderr
            );
            assert!(out.stderr.contains(place), "{}", out.stderr);
            assert!(
                out.stderr.contains("the commit is blocked"),
                "{}",
                out.stderr
            );
            assert_eq!(p.run(&["hook", "run", "pre-push"]).code, 1);
        }
        // The staged content is what is checked, not the work tree's.
        p.write(
            "federations/bad.yaml",
            &bad_level.replace("mock_vv", "mock_v3"),
        );
        git(&p, &["add", "federations/bad.yaml"]);
        p.write("federations/bad.yaml", bad_level);
        let out = p.run(&["hook", "run", "pre-commit"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

backends! {
    fn hook_run_with_nothing_staged_returns_at_once(backend) {
        let p = Project::on(backend);
        git(&p, &["init", "-q"]);
        let out = p.run(&["hook", "run", "pre-commit"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            !p.path(".mockops/state.db").exists(),
            "it must not open the state file"
        );
    }
}
