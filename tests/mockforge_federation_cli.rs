//! MockForge's federation and scenario files (`tests/data/mockforge`, written after
//! MockForge's own structs and documents) through the real binary: they load, validate,
//! route and serve with the effects MockForge means, against real upstream sockets.

mod common;
#[path = "common/gateway.rs"]
mod gateway;
use common::Project;
use gateway::*;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mockforge");

fn corpus(rel: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Copies a corpus file into the project, at the same path (`federations/…`, `scenarios/…`).
fn copy_in(p: &Project, rel: &str) {
    p.write(rel, &corpus(rel));
}

/// `levels.yaml` with its `.test` hosts pointing at local mock and real upstreams.
fn levels_served_by(mock: &Upstream, real: &Upstream) -> String {
    let mut text = corpus("federations/levels.yaml");
    for service in ["auth", "payments", "inventory", "shipping"] {
        text = text
            .replace(&format!("http://{service}.mock.test"), &mock.url())
            .replace(&format!("http://{service}.real.test"), &real.url());
    }
    assert!(!text.contains(".test\""), "every host replaced");
    text
}

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

fn reality(reply: &Reply) -> &str {
    reply
        .headers
        .get("x-mockops-reality")
        .map(String::as_str)
        .unwrap_or("")
}

backends! {
    fn a_json_federation_is_found_by_the_folder_scan(backend) {
        let p = Project::on(backend);
        copy_in(&p, "federations/api-platform.json");
        let out = p.run(&["federation", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("1 federation(s) valid"),
            "{}",
            out.stdout
        );
        let (code, list, err) = p.json(&["federation", "list"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(list[0]["file"], "federations/api-platform.json", "{list}");
        assert_eq!(list[0]["services"], 2);
        let (code, pay, err) = p.json(&["federation", "route", "POST", "/payments/charge"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(pay["workspace_id"], "550e8400-e29b-41d4-a716-446655440011");
        assert_eq!(pay["reality_level"], "mock_v3");
        // A folder given to `validate` means its JSON files too.
        let out = p.run(&["federation", "validate", "federations"]);
        assert!(
            out.stdout.contains("1 federation(s) valid"),
            "{}",
            out.stdout
        );
    }
}

backends! {
    fn config_upstream_url_is_the_real_service_url(backend) {
        let p = Project::on(backend);
        copy_in(&p, "federations/cloud-guide.yaml");
        let out = p.run(&["federation", "validate", "--strict"]);
        let errors = lines_with(&out.stderr, "error:");
        assert_eq!(
            errors.len(),
            3,
            "payments, inventory, shipping: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("`auth` is `real`")
                && !out.stderr.contains("config key `upstream_url`"),
            "{}",
            out.stderr
        );
        let (code, auth, err) = p.json(&["federation", "route", "/auth/login"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(auth["reality_level"], "real");
        assert_eq!(auth["target_url"], "https://auth.example.com/login");
    }
}

backends! {
    fn mockforge_federations_load_validate_and_route(backend) {
        let p = Project::on(backend);
        for file in [
            "e-commerce-platform.yaml",
            "cloud-guide.yaml",
            "api-platform.json",
            "levels.yaml",
        ] {
            copy_in(&p, &format!("federations/{file}"));
        }
        let out = p.run(&["federation", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("4 federation(s) valid"),
            "the JSON file is one of them: {}",
            out.stdout
        );
        // Keys MockForge documents but never reads warn, and are kept.
        let guide = lines_with(&out.stderr, "federations/cloud-guide.yaml:");
        for key in [
            "chaos_enabled",
            "reality_continuum",
            "chaos",
            "reality_level",
        ] {
            assert!(
                guide
                    .iter()
                    .any(|l| l.starts_with("warning:") && l.contains(&format!("config key `{key}`"))),
                "{key}: {guide:?}"
            );
        }
        // `config.upstream_url` is the real service's URL: no "has no `upstream_url`" for it.
        assert!(
            !guide.iter().any(|l| l.contains("`auth` is `real`")),
            "{guide:?}"
        );
        assert!(
            !guide.iter().any(|l| l.contains("blend_ratio")),
            "blend_ratio is read: {guide:?}"
        );

        let (code, list, err) = p.json(&["federation", "list"]);
        assert_eq!(code, 0, "{err}");
        let files: Vec<(&str, &str)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap(), f["file"].as_str().unwrap()))
            .collect();
        assert!(
            files.contains(&("api-platform", "federations/api-platform.json")),
            "{files:?}"
        );
        assert_eq!(files.len(), 4, "{files:?}");

        let route = |federation: &str, path: &str| {
            let (code, v, err) = p.json(&["federation", "route", path, "--federation", federation]);
            assert_eq!(code, 0, "{federation} {path}: {err}");
            v
        };
        let auth = route("cloud-guide", "/auth/login");
        assert_eq!(auth["reality_level"], "real");
        assert_eq!(auth["target_url"], "https://auth.example.com/login");
        let pay = route("api-platform", "/payments/charge");
        assert_eq!(pay["workspace_id"], "550e8400-e29b-41d4-a716-446655440011");
        assert_eq!(pay["reality_level"], "mock_v3");
        // Levels written as MockForge accepts them come out in the canonical spelling.
        for (path, level) in [
            ("/auth/login", "real"),
            ("/payments/charge", "mock_v3"),
            ("/inventory/items", "blended"),
            ("/shipping/track", "chaos_driven"),
        ] {
            assert_eq!(
                route("e-commerce-local", path)["reality_level"],
                level,
                "{path}"
            );
        }
        let dot = p.run(&[
            "federation",
            "graph",
            "--federation",
            "e-commerce-local",
            "--format",
            "dot",
        ]);
        assert_eq!(dot.code, 0, "{}", dot.stderr);
        for label in [
            "auth\\nreal",
            "payments\\nmock_v3",
            "inventory\\nblended",
            "shipping\\nchaos_driven",
        ] {
            assert!(dot.stdout.contains(label), "{label}: {}", dot.stdout);
        }
    }
}

backends! {
    fn every_mistake_of_a_file_is_named_in_one_run(backend) {
        let p = Project::on(backend);
        p.write(
            "federations/shop.yaml",
            &corpus("federations/invalid/five-mistakes.yaml"),
        );
        let out = p.run(&["federation", "validate"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        let errors = lines_with(&out.stderr, "error: federations/shop.yaml:");
        let places: Vec<&str> = errors
            .iter()
            .map(|l| l.split(": ").nth(1).unwrap_or(""))
            .collect();
        assert_eq!(
            places,
            [
                "federations/shop.yaml:10:20",
                "federations/shop.yaml:13:19",
                "federations/shop.yaml:19:5",
                "federations/shop.yaml:22:19",
                "federations/shop.yaml:23:19",
            ],
            "{}",
            out.stderr
        );
        for needle in [
            "unknown reality level `mock_v2`",
            "config `timeout_ms` must be a positive integer",
            "unknown key `depends_on` in service `payments`",
            "settings of your own go under `config:`",
            "config `error_rate` must be a number from 0 to 1",
            "config `latency_ms`",
        ] {
            assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
        }
        assert!(out.stdout.contains("5 error(s)"), "{}", out.stdout);
        // Commands that load every federation name them all as well.
        let out = p.run(&["federation", "route", "/auth/login"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert_eq!(
            lines_with(&out.stderr, "error: federations/shop.yaml:").len(),
            5,
            "{}",
            out.stderr
        );

        // A file past the parser's limits: said in words, no internal debug text.
        let huge = format!("services: [{}]\n", vec!["0"; 250_001].join(","));
        p.write("federations/shop.yaml", &huge);
        let out = p.run(&["federation", "validate"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains(
                "federations/shop.yaml: refused to protect mockops: it expands to too many values"
            ),
            "{}",
            out.stderr
        );
        for debug in ["budget", "Nodes", "{"] {
            assert!(!out.stderr.contains(debug), "{debug}: {}", out.stderr);
        }
    }
}

backends! {
    fn config_upstream_url_is_served_as_the_real_service(backend) {
        let mock = Upstream::start(mock_answer);
        let real = Upstream::start(real_answer);
        let p = Project::on(backend);
        p.write("federations/levels.yaml", &levels_served_by(&mock, &real));
        let port = free_port();
        let (_gateway, log) = start_gateway(&p, port, "e-commerce-local");
        let agent = agent();
        let base = format!("http://127.0.0.1:{port}");

        let auth = get(&agent, &format!("{base}/auth/login"));
        assert_eq!(auth.status, 200, "{}", log.lock().unwrap());
        assert_eq!(auth.body["from"], "real");
        assert_eq!(auth.body["target"], "/login");
        assert_eq!(reality(&auth), "real");
        assert_eq!(auth.headers["x-mockops-service"], "auth");

        let pay = get(&agent, &format!("{base}/payments/charge"));
        assert_eq!(
            (pay.body["from"].as_str(), reality(&pay)),
            (Some("mock"), "mock_v3")
        );
        let ship = get(&agent, &format!("{base}/shipping/track"));
        assert_eq!((ship.status, reality(&ship)), (503, "chaos_driven"));

        // `blend_ratio: 0.3`: some requests go to the real service, the rest to the mock.
        let mut from = std::collections::BTreeSet::new();
        for i in 0..20 {
            let inv = get(&agent, &format!("{base}/inventory/items/{i}"));
            assert_eq!(reality(&inv), "blended");
            from.insert(inv.body["from"].as_str().unwrap_or("").to_string());
        }
        assert_eq!(from.into_iter().collect::<Vec<_>>(), ["mock", "real"]);
        assert!(real.seen().iter().any(|s| s.target == "/login"));
    }
}

/// A federation with mockops's own URLs and canonical levels, for the scenarios alone.
const PLAIN: &str = "\
name: e-commerce-local
services:
  - {name: auth, workspace_id: a, base_path: /auth, reality_level: real, upstream_url: \"http://127.0.0.1:9\"}
  - {name: payments, workspace_id: p, base_path: /payments, reality_level: mock_v3, mock_url: \"http://127.0.0.1:9\"}
  - {name: inventory, workspace_id: i, base_path: /inventory, reality_level: blended, mock_url: \"http://127.0.0.1:9\", upstream_url: \"http://127.0.0.1:9\"}
  - {name: shipping, workspace_id: s, base_path: /shipping, reality_level: chaos_driven, mock_url: \"http://127.0.0.1:9\"}
";

fn with_scenarios(p: &Project) {
    for file in ["payments-degraded.yaml", "black-friday-activation.json"] {
        copy_in(p, &format!("scenarios/{file}"));
    }
}

fn activate(p: &Project, file: &str) {
    let out = p.run(&["federation", "scenario", "activate", file]);
    assert_eq!(out.code, 0, "{file}: {}", out.stderr);
}

backends! {
    fn mockforge_scenario_forms_are_activated(backend) {
        let p = Project::on(backend);
        p.write("federations/shop.yaml", PLAIN);
        with_scenarios(&p);
        // A scenario manifest with `service_overrides`.
        activate(&p, "scenarios/payments-degraded.yaml");
        let (code, show, err) = p.json(&["federation", "scenario", "show"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(show["active_scenario"], "payments-degraded");
        let pay = &show["scenario"]["services"]["payments"];
        assert_eq!(pay["reality_level"], "chaos_driven", "{show}");
        assert_eq!(
            pay["error_rate"], 1.0,
            "failure_rate is the error rate: {show}"
        );
        assert_eq!(pay["notes"], "The card processor is down");
        assert_eq!(show["scenario"]["services"]["shipping"]["chaos_level"], 0.0);
        let (_, routed, _) = p.json(&["federation", "route", "/payments/charge"]);
        assert_eq!(routed["reality_level"], "chaos_driven");

        // MockForge's activation body: `scenario_name`, a manifest, and overrides that win.
        activate(&p, "scenarios/black-friday-activation.json");
        let (_, show, _) = p.json(&["federation", "scenario", "show"]);
        assert_eq!(show["active_scenario"], "black-friday");
        let services = &show["scenario"]["services"];
        assert_eq!(services["payments"]["error_rate"], 1.0, "{show}");
        assert_eq!(services["payments"].get("notes"), None, "{show}");
        assert_eq!(services["inventory"]["reality_level"], "mock_v3");
        assert_eq!(
            services["shipping"]["notes"],
            "shipping stays calm during the sale"
        );
        let (_, list, _) = p.json(&["federation", "list"]);
        assert_eq!(list[0]["active_scenario"], "black-friday");
    }
}

backends! {
    fn mockforge_scenarios_apply_in_the_gateway(backend) {
        let mock = Upstream::start(mock_answer);
        let real = Upstream::start(real_answer);
        let p = Project::on(backend);
        p.write("federations/levels.yaml", &levels_served_by(&mock, &real));
        with_scenarios(&p);
        let agent = agent();

        activate(&p, "scenarios/payments-degraded.yaml");
        {
            let port = free_port();
            let (_gateway, log) = start_gateway(&p, port, "e-commerce-local");
            let base = format!("http://127.0.0.1:{port}");
            let pay = get(&agent, &format!("{base}/payments/charge"));
            assert_eq!(
                (pay.status, reality(&pay)),
                (503, "chaos_driven"),
                "{}",
                log.lock().unwrap()
            );
            // `chaos_level: 0` turns shipping's own chaos (`error_rate: 1.0`) off.
            let ship = get(&agent, &format!("{base}/shipping/track"));
            assert_eq!((ship.status, reality(&ship)), (200, "chaos_driven"));
            let last = mock.seen().last().cloned().unwrap();
            assert_eq!(
                last.headers.get("x-mockops-scenario").map(String::as_str),
                Some("payments-degraded")
            );
        }

        // The activation body: payments fail, inventory answers from the mock only.
        activate(&p, "scenarios/black-friday-activation.json");
        let port = free_port();
        let (_gateway, log) = start_gateway(&p, port, "e-commerce-local");
        let base = format!("http://127.0.0.1:{port}");
        let pay = get(&agent, &format!("{base}/payments/charge"));
        assert_eq!(pay.status, 503, "{}", log.lock().unwrap());
        for i in 0..5 {
            let inv = get(&agent, &format!("{base}/inventory/items/{i}"));
            assert_eq!(
                (inv.body["from"].as_str(), reality(&inv)),
                (Some("mock"), "mock_v3")
            );
        }
        let ship = get(&agent, &format!("{base}/shipping/track"));
        assert_eq!(ship.status, 200);
    }
}

backends! {
    fn a_mockforge_scenario_with_mistakes_names_them_all(backend) {
        let p = Project::on(backend);
        p.write("federations/shop.yaml", PLAIN);
        p.write(
            "scenarios/bad.json",
            r#"{"scenario_name": "bad", "service_overrides": {
  "payment": {"failure_rate": 0.5},
  "shipping": {"chaos_level": 1.5, "reality_level": "mock", "note": "x"}}}"#,
        );
        let out = p.run(&["federation", "scenario", "activate", "scenarios/bad.json"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        let errors = lines_with(&out.stderr, "error: scenarios/bad.json:");
        assert_eq!(errors.len(), 4, "{}", out.stderr);
        for needle in [
            "error: scenarios/bad.json:2:3: scenario names unknown service `payment` of federation `e-commerce-local` (did you mean `payments`?)",
            "`chaos_level` of `shipping` must be a number from 0 to 1",
            "unknown reality level `mock`",
            "unknown key `note` in the override of `shipping` (did you mean `notes`?)",
        ] {
            assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
        }
        let (_, list, _) = p.json(&["federation", "list"]);
        assert_eq!(
            list[0]["active_scenario"],
            Value::Null,
            "nothing was activated"
        );
    }
}

backends! {
    fn a_staged_json_federation_is_checked_by_the_hooks(backend) {
        let p = Project::on(backend);
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
                .args(args)
                .current_dir(p.root())
                .output()
                .expect("git");
            assert!(out.status.success(), "git {args:?}: {out:?}");
        };
        git(&["init", "-q", "-b", "main"]);
        git(&["commit", "-q", "--allow-empty", "-m", "init"]);
        let broken = corpus("federations/api-platform.json")
            .replace("\"real\"", "\"actual\"")
            .replace(
                "\"dependencies\": [\"auth\"]",
                "\"dependencies\": [\"auht\"]",
            );
        p.write("federations/api-platform.json", &broken);
        git(&["add", "federations/api-platform.json"]);
        for hook in ["pre-commit", "pre-push"] {
            let out = p.run(&["hook", "run", hook]);
            assert_eq!(out.code, 1, "{hook}: {}", out.stderr);
            for needle in [
                "federations/api-platform.json:10:",
                "unknown reality level `actual`",
                "federations/api-platform.json:20:",
                "unknown service `auht` (did you mean `auth`?)",
            ] {
                assert!(
                    out.stderr.contains(needle),
                    "{hook} {needle}: {}",
                    out.stderr
                );
            }
            assert!(
                out.stderr.contains("2 invalid definition(s)"),
                "{}",
                out.stderr
            );
        }
    }
}
