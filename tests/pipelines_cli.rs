//! The pipeline engine through the real binary: filters, templates, timeouts, retries,
//! if/when, outputs, chains and guards, interrupted runs, concurrency, secrets.

mod common;
use common::{Backend, Project};
use serde_json::json;
use std::time::{Duration, Instant};

fn steps_of(run: &serde_json::Value) -> Vec<(String, String)> {
    run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

backends! {
    fn emit_runs_matching_pipelines_in_name_order_with_filters(backend) {
        let p = Project::on(backend);
        for (name, filter) in [
            ("b-second", "breaking_count: { gte: 1 }"),
            ("a-first", "spec_path: { glob: \"specs/*.yaml\" }"),
            ("c-never", "schema_type: protobuf"),
        ] {
            p.write(
                &format!("pipelines/{name}.yaml"),
                &format!("triggers:\n  - event: custom.spec\n    filters:\n      {filter}\nsteps:\n  - name: s\n    type: run\n    config: {{ command: \"true\" }}\n"),
            );
        }
        let (code, v, err) = p.json(&[
            "event",
            "emit",
            "custom.spec",
            "-p",
            "spec_path=specs/a.yaml",
            "-p",
            "breaking_count=2",
            "-p",
            "schema_type=openapi",
        ]);
        assert_eq!(code, 0, "{err}");
        let names: Vec<&str> = v["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["pipeline"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["a-first", "b-second"]);
        // dry run says why c-never did not match
        let (code, v, _) = p.json(&[
            "event",
            "emit",
            "custom.spec",
            "-p",
            "schema_type=openapi",
            "--dry-run",
        ]);
        assert_eq!(code, 0);
        let c = v["pipelines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["pipeline"] == "c-never")
            .unwrap();
        assert_eq!(c["matched"], json!(false));
        assert!(c["reason"].as_str().unwrap().contains("schema_type"), "{c}");
        // a dry run changes nothing
        let (_, events, _) = p.json(&["event", "list"]);
        assert_eq!(events.as_array().unwrap().len(), 1);
    }
}

backends! {
    fn strict_templates_fail_the_step_naming_variable_step_and_file(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/t.yaml",
            "triggers: [{event: custom.x}]\nsteps:\n  - name: use\n    type: run\n    config: { command: \"echo {{event.payload.missing}}\" }\n  - name: after\n    type: run\n    if: always()\n    config: { command: \"true\" }\n",
        );
        let (code, v, _) = p.json(&["event", "emit", "custom.x"]);
        assert_eq!(code, 1);
        let run = &v["runs"][0];
        assert_eq!(run["status"], "failed");
        let err = run["steps"][0]["error"].as_str().unwrap();
        assert!(
            err.contains("event.payload.missing")
                && err.contains("use")
                && err.contains("pipelines/t.yaml"),
            "{err}"
        );
        assert_eq!(steps_of(run)[1], ("after".into(), "succeeded".into()));
    }
}

backends! {
    fn outputs_typed_values_if_and_when(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/flow.yaml",
            r#"triggers: [{event: custom.go}]
steps:
  - name: produce
    type: run
    config:
      command: "echo changed=true >> $MOCKOPS_OUTPUT; echo files='[\"a\",\"b\"]' >> $MOCKOPS_OUTPUT"
  - name: only-if-changed
    type: emit
    when: { steps.produce.outputs.changed: true }
    config: { event: custom.done, payload: { files: "{{steps.produce.outputs.files}}", n: "{{event.payload.n}}" } }
  - name: never-when
    type: run
    when: { steps.produce.outputs.changed: false }
    config: { command: "true" }
  - name: boom
    type: run
    continue_on_error: true
    config: { command: "exit 4" }
  - name: still-success
    type: run
    config: { command: "true" }
  - name: on-failure
    type: run
    if: failure()
    config: { command: "true" }
"#,
        );
        let (code, v, err) = p.json(&["event", "emit", "custom.go", "-p", "n=7"]);
        assert_eq!(code, 0, "{err}");
        let run = &v["runs"][0];
        assert_eq!(
            steps_of(run),
            vec![
                ("produce".into(), "succeeded".into()),
                ("only-if-changed".into(), "succeeded".into()),
                ("never-when".into(), "skipped".into()),
                ("boom".into(), "failed".into()),
                ("still-success".into(), "succeeded".into()),
                ("on-failure".into(), "skipped".into()),
            ]
        );
        assert_eq!(run["steps"][0]["outputs"]["changed"], json!(true));
        assert_eq!(run["steps"][3]["outputs"]["exit_code"], json!(4));
        let (_, events, _) = p.json(&["event", "list", "--type", "custom.done"]);
        assert_eq!(events[0]["payload"], json!({"files": ["a", "b"], "n": 7}));
    }
}

backends! {
    fn timeout_kills_the_process_group_and_retries_count_every_try(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/slow.yaml",
            r#"triggers: [{event: custom.slow}]
steps:
  - name: sleepy
    type: run
    timeout: 1s
    retry: { attempts: 2, backoff: 100ms }
    config: { command: "echo $$ >> pids; sleep 30 & sleep 30" }
"#,
        );
        let started = Instant::now();
        let (code, v, _) = p.json(&["event", "emit", "custom.slow"]);
        assert_eq!(code, 1);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        let step = &v["runs"][0]["steps"][0];
        assert_eq!(step["status"], "timed_out");
        assert_eq!(step["attempts"], json!(2));
        std::thread::sleep(Duration::from_millis(200));
        for pid in p.read("pids").lines() {
            let alive = std::path::Path::new(&format!("/proc/{pid}")).exists();
            assert!(!alive, "process {pid} survived the timeout");
        }
        // no sleep 30 of ours remains either
        let ps = std::process::Command::new("sh")
            .arg("-c")
            .arg("ps -eo pgid,args | grep -c '[s]leep 30'")
            .output()
            .unwrap();
        let _ = ps; // other tests may run sleeps; the pid check above is the assertion
    }
}

backends! {
    fn retries_then_success_with_backoff(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/flaky.yaml",
            r#"triggers: [{event: custom.flaky}]
steps:
  - name: flaky
    type: run
    retry: { attempts: 3, backoff: 50ms, factor: 2 }
    config: { command: "echo x >> tries; test $(wc -l < tries) -ge 3" }
"#,
        );
        let (code, v, err) = p.json(&["event", "emit", "custom.flaky"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["runs"][0]["steps"][0]["attempts"], json!(3));
        assert_eq!(p.read("tries").lines().count(), 3);
        let run_id = v["runs"][0]["id"].as_str().unwrap().to_string();
        let out = p.run(&["pipeline", "show", &run_id]);
        assert!(
            out.stdout.contains("#1 failed") && out.stdout.contains("#3 succeeded"),
            "{}",
            out.stdout
        );
    }
}

backends! {
    fn chains_record_parents_and_depth_guard_stops_with_exit_1(backend) {
        let p = Project::on(backend);
        p.write("mockops.yaml", "limits:\n  max_event_depth: 3\n");
        p.write(
            "pipelines/count.yaml",
            r#"triggers: [{event: custom.n}]
steps:
  - name: next
    type: emit
    config: { event: custom.n, payload: { depth: "{{event.payload.depth}}x" } }
"#,
        );
        let (code, v, err) = p.json(&["event", "emit", "custom.n", "-p", "depth=d"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("max_event_depth = 3")
                && err.contains("custom.n → custom.n → custom.n → custom.n → custom.n"),
            "{err}"
        );
        assert_eq!(v["runs"].as_array().unwrap().len(), 4);
        let root = v["event_id"].as_str().unwrap();
        let (_, shown, _) = p.json(&["event", "show", root]);
        assert_eq!(shown["children"].as_array().unwrap().len(), 1);
        assert_eq!(shown["runs"].as_array().unwrap().len(), 1);
        assert!(shown["runs"][0].get("steps").is_none());
    }
}

backends! {
    fn loop_guard_refuses_identical_reruns(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/echo.yaml",
            "triggers: [{event: custom.echo}]\nsteps:\n  - name: again\n    type: emit\n    config: { event: custom.echo, payload: { same: 1 } }\n",
        );
        let (code, v, err) = p.json(&["event", "emit", "custom.echo", "-p", "same=1"]);
        assert_eq!(code, 1);
        assert!(err.contains("refused as a loop"), "{err}");
        assert_eq!(v["runs"].as_array().unwrap().len(), 2);
    }
}

backends! {
    fn replay_dispatches_a_copy_as_a_new_chain(backend) {
        let p = Project::on(backend);
        p.write("pipelines/r.yaml", "triggers: [{event: custom.r}]\nsteps:\n  - {name: s, type: run, config: {command: \"true\"}}\n");
        let (_, v, _) = p.json(&["event", "emit", "custom.r", "-p", "a=1"]);
        let id = v["event_id"].as_str().unwrap().to_string();
        let (code, v2, _) = p.json(&["event", "replay", &id[..13]]);
        assert_eq!(code, 0);
        let new_id = v2["event_id"].as_str().unwrap();
        assert_ne!(new_id, id);
        let (_, list, _) = p.json(&["event", "list", "--limit", "1"]);
        assert_eq!(list[0]["replay_of"], json!(id));
        assert_eq!(list[0]["parent_id"], json!(null));
        assert_eq!(list[0]["payload"], json!({"a": 1}));
    }
}

backends! {
    fn secrets_never_reach_output_or_state_file(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/s.yaml",
            r#"triggers: [{event: custom.s}]
steps:
  - name: leak
    type: run
    config:
      command: "echo token=$T; echo tok=$T >> $MOCKOPS_OUTPUT; echo $T >&2; exit 1"
      env: { T: "{{env.SUPER_SECRET_TOKEN}}" }
"#,
        );
        let secret = "s3cr3t-value-123";
        let out = p.run_with(
            &["--format", "json", "event", "emit", "custom.s"],
            &[("SUPER_SECRET_TOKEN", secret)],
        );
        assert_eq!(out.code, 1);
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
        let v = out.json();
        let run_id = v["runs"][0]["id"].as_str().unwrap().to_string();
        let logs = p.run(&["pipeline", "logs", &run_id]);
        assert!(logs.stdout.contains("token=***"), "{}", logs.stdout);
        assert!(!logs.stdout.contains(secret));
        let step = v["runs"][0]["steps"][0]["name"].as_str().unwrap();
        let one = p.run(&["pipeline", "logs", &run_id, "--step", step]);
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert_eq!(
            one.stdout, logs.stdout,
            "the run's only step has all its logs"
        );
        let none = p.run(&["pipeline", "logs", &run_id, "--step", "nosuch"]);
        assert_eq!(none.code, 2, "{}", none.stderr);
        assert!(
            none.stderr
                .contains(&format!("has no step `nosuch` (its steps: {step})")),
            "{}",
            none.stderr
        );
        assert!(!p.state_contains(secret), "secret found in the state");
        assert_eq!(v["runs"][0]["steps"][0]["outputs"]["tok"], json!("***"));
    }
}

backends! {
    fn interrupted_runs_are_marked_by_the_next_invocation(backend) {
        let p = Project::on(backend);
        p.write("pipelines/long.yaml", "triggers: [{event: custom.long}]\nsteps:\n  - {name: wait, type: run, config: {command: \"sleep 20\"}}\n");
        let mut child = p
            .process()
            .args(["event", "emit", "custom.long"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // wait until the run is stored as running
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, runs, _) = p.json(&["pipeline", "history"]);
            if runs.as_array().is_some_and(|r| !r.is_empty()) {
                assert_eq!(runs[0]["status"], "running");
                break;
            }
            assert!(Instant::now() < deadline, "run never started");
            std::thread::sleep(Duration::from_millis(50));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let (_, runs, err) = p.json(&["pipeline", "history"]);
        assert_eq!(runs[0]["status"], "interrupted", "{err}");
        // the event survived too
        let (_, events, _) = p.json(&["event", "list"]);
        assert_eq!(events[0]["type"], "custom.long");
    }
}

backends! {
    /// 16 processes at once (CI jobs sharing one state), each emitting events whose
    /// pipeline emits another: nothing is lost and no lock or serialization error escapes.
    fn sixteen_concurrent_writers_all_succeed(backend) {
        let p = Project::on(backend);
        p.write("pipelines/c.yaml", "triggers: [{event: custom.c}]\nsteps:\n  - {name: e, type: emit, config: {event: custom.sink}}\n");
        p.run(&["event", "list"]); // create the state
        let total: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|i| {
                    let p = &p;
                    scope.spawn(move || {
                        for j in 0..4 {
                            let st = p
                                .process()
                                .args(["event", "emit", "custom.c", "-p"])
                                .arg(format!("i={i}"))
                                .arg("-p")
                                .arg(format!("j={j}"))
                                .output()
                                .unwrap();
                            assert!(
                                st.status.success(),
                                "{}",
                                String::from_utf8_lossy(&st.stderr)
                            );
                        }
                        4
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(total, 64);
        let (_, runs, _) = p.json(&["pipeline", "history", "--limit", "1000"]);
        assert_eq!(runs.as_array().unwrap().len(), 64);
        assert!(runs.as_array().unwrap().iter().all(|r| r["status"] == "succeeded"));
        let (_, events, _) = p.json(&["event", "list", "--limit", "1000"]);
        assert_eq!(events.as_array().unwrap().len(), 128);
        let mut ids: Vec<&str> = events
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 128, "ids are unique");
    }
}

backends! {
    fn pipeline_run_forces_a_pipeline_and_says_so(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/forced.yaml",
            "triggers:\n  - event: custom.f\n    filters: { env: prod }\nsteps:\n  - {name: s, type: run, config: {command: \"echo {{event.payload.env}}\"}}\n",
        );
        let out = p.run(&[
            "--format", "json", "pipeline", "run", "forced", "-p", "env=dev",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr.contains("filters do not match"),
            "{}",
            out.stderr
        );
        assert_eq!(out.json()["runs"][0]["status"], "succeeded");
        let out = p.run(&["pipeline", "run", "forcd"]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains("did you mean `forced`"),
            "{}",
            out.stderr
        );
    }
}

backends! {
    fn payload_rules_exit_2_naming_the_key(backend) {
        let p = Project::on(backend);
        let out = p.run(&["event", "emit", "workspace.created", "-p", "workspace_id=w"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("`root`"), "{}", out.stderr);
        let out = p.run(&["event", "emit", "not.a.type"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("custom."), "{}", out.stderr);
    }
}

backends! {
    fn list_shapes_and_global_flags_after_subcommand(backend) {
        let p = Project::on(backend);
        p.write("pipelines/x.yaml", "triggers: [{event: custom.x}]\nsteps:\n  - {name: s, type: run, config: {command: \"true\"}}\n");
        p.run(&["event", "emit", "custom.x"]);
        let out = p.run(&["pipeline", "list", "--format", "json"]);
        let v = out.json();
        assert_eq!(v[0]["name"], "x");
        assert_eq!(v[0]["triggers"], json!(["custom.x"]));
        assert_eq!(v[0]["steps"], json!(1));
        assert_eq!(v[0]["last_run"]["status"], "succeeded");
        let (_, hist, _) = p.json(&["pipeline", "history", "x"]);
        for key in [
            "id",
            "pipeline",
            "event_id",
            "status",
            "started_at",
            "finished_at",
            "error",
        ] {
            assert!(hist[0].get(key).is_some(), "missing {key}");
        }
    }
}

backends! {
    fn init_creates_what_is_missing_and_announces_the_workspace_once(backend) {
        let p = Project::on(backend);
        let out = p.run(&["--format", "json", "init"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let first = out.json();
        let created: Vec<&str> = first["created"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let mut expected = vec![
            "mockops.yaml",
            "pipelines/hello.yaml",
            "federations/example.yaml",
        ];
        if backend == Backend::Sqlite {
            expected.push(".mockops/state.db");
        }
        assert_eq!(created, expected);
        assert_eq!(first["runs"][0]["pipeline"], "hello");
        assert_eq!(p.run(&["pipeline", "validate"]).code, 0);
        assert_eq!(p.run(&["federation", "validate"]).code, 0);

        // Again: nothing to create, and no second workspace.created (it would re-run hello).
        let again = p.run(&["--format", "json", "init"]).json();
        assert_eq!(again["created"], serde_json::json!([]));
        assert_eq!(again["event_id"], serde_json::Value::Null);
        let (_, events, _) = p.json(&["event", "list", "--type", "workspace.created"]);
        assert_eq!(events.as_array().unwrap().len(), 1);
    }
}
