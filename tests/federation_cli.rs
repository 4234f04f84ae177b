//! Federation through the real binary (docs/federation.md): validate and its located errors, MockForge
//! files, `route` and its rules, `list`, `graph`, scenarios, read-only commands and
//! reality-level history. The gateway end to end is in `federation_serve_cli.rs`.

mod common;
use common::{Backend, Project};
use serde_json::{json, Value};

/// A federation exercising every routing rule (URLs point nowhere: `route` never calls them).
const SHOP: &str = "\
name: shop
description: routing rules
services:
  - name: auth
    base_path: /auth
    workspace_id: auth-ws
    reality_level: mock_v3
    mock_url: http://127.0.0.1:4010
  - name: tenant
    base_path: /tenants/{tenant}
    workspace_id: tenant-ws
    reality_level: real
    upstream_url: http://127.0.0.1:5000/api
  - name: cart
    base_path: /tenants/{tenant}/cart
    workspace_id: cart-ws
    reality_level: blended
    mock_url: http://127.0.0.1:4011
    upstream_url: http://127.0.0.1:5011
    config: { blend: real_over_mock }
    dependencies: [auth, tenant]
  - name: admin
    base_path: /tenants/admin
    workspace_id: admin-ws
    reality_level: mock_v3
    mock_url: http://127.0.0.1:4012
    dependencies: [auth]
  - name: left
    base_path: /a/{x}/c
    workspace_id: left-ws
    reality_level: mock_v3
    mock_url: http://127.0.0.1:4013
  - name: right
    base_path: /a/b/{y}
    workspace_id: right-ws
    reality_level: mock_v3
    mock_url: http://127.0.0.1:4014
  - name: full
    base_path: /full/{id}
    workspace_id: full-ws
    reality_level: chaos_driven
    mock_url: http://127.0.0.1:4015/v2
    config: { strip_prefix: false, error_rate: 0.1, error_status: 503 }
  - name: nourl
    base_path: /nourl
    workspace_id: nourl-ws
    reality_level: real
    mock_url: http://127.0.0.1:4016
";

fn shop(backend: Backend) -> Project {
    let p = Project::on(backend);
    p.write("federations/shop.yaml", SHOP);
    p
}

fn route(p: &Project, path: &str) -> (i32, Value, String) {
    p.json(&["federation", "route", path])
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

// ---------------------------------------------------------------------------------------
// validate

/// One service block (7 lines) at a known place.
fn svc(name: &str, base: &str, deps: &str) -> String {
    format!(
        "  - name: {name}\n    workspace_id: {name}-ws\n    base_path: \"{base}\"\n    reality_level: mock_v3\n    \
         mock_url: http://127.0.0.1:4010\n    dependencies: [{deps}]\n"
    )
}

fn validate_file(p: &Project, rel: &str, content: &str, extra: &[&str]) -> (i32, String) {
    p.write(rel, content);
    let mut args = vec!["federation", "validate"];
    args.extend_from_slice(extra);
    args.push(rel);
    let out = p.run(&args);
    (out.code, out.stderr)
}

#[test]
fn validate_prints_one_json_document_with_every_diagnostic() {
    let p = shop(Backend::Sqlite);
    let (code, v, stderr) = p.json(&["federation", "validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["federations"], serde_json::json!(["shop"]));
    // The warning about `nourl` is in the document, located, and not also on stderr.
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["severity"] == "warning"
            && d["file"] == "federations/shop.yaml"
            && d["line"].is_u64()
            && d["service"] == "nourl"),
        "{v}"
    );
    assert!(!stderr.contains("nourl"), "{stderr}");

    // A file that does not parse and one that does not validate: every error, exit 2.
    p.write("federations/broken.yaml", "name: [\n");
    p.write(
        "federations/bad.yaml",
        "name: bad\nservices:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: nope\n",
    );
    let (code, v, _) = p.json(&["federation", "validate"]);
    assert_eq!(code, 2);
    assert_eq!(v["valid"], false);
    let errors: Vec<(&str, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert!(errors.contains(&("federations/broken.yaml", 1)), "{v}");
    assert!(errors.contains(&("federations/bad.yaml", 6)), "{v}");
}

backends! {
    fn validate_accepts_a_valid_file(backend) {
        let p = shop(backend);
        let out = p.run(&["federation", "validate", "federations/shop.yaml"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        // `nourl` is `real` without `upstream_url`: a warning, located.
        assert!(
            out.stderr.contains("federations/shop.yaml:")
                && out
                    .stderr
                    .contains("`nourl` is `real` but has no `upstream_url`"),
            "{}",
            out.stderr
        );
        // Without files: all of federations/.
        let all = p.run(&["federation", "validate"]);
        assert_eq!(all.code, 0, "{}", all.stderr);
        // Strict: the missing URL becomes an error.
        let strict = p.run(&["federation", "validate", "--strict"]);
        assert_eq!(strict.code, 2, "{}", strict.stderr);
        assert!(
            strict.stderr.contains("federations/shop.yaml:44:5")
                && strict.stderr.contains("has no `upstream_url`"),
            "{}",
            strict.stderr
        );
    }
}

backends! {
    fn validate_rejects_duplicate_service_names_with_location(backend) {
        let p = Project::on(backend);
        let text = format!(
            "name: dup\nservices:\n{}{}",
            svc("auth", "/a", ""),
            svc("auth", "/b", "")
        );
        let (code, err) = validate_file(&p, "federations/dup.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/dup.yaml:9:11") && err.contains("duplicate service name `auth`"),
            "{err}"
        );
    }
}

backends! {
    fn validate_rejects_base_paths_equal_up_to_param_names(backend) {
        let p = Project::on(backend);
        let text = format!(
            "services:\n{}{}",
            svc("a", "/t/{a}", ""),
            svc("b", "/t/{b}", "")
        );
        let (code, err) = validate_file(&p, "federations/clash.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/clash.yaml:10:16")
                && err.contains("base path `/t/{b}` of `b` matches the same paths as `/t/{a}` of `a`"),
            "{err}"
        );
        // A static segment where the other has a parameter is no clash.
        let ok = format!(
            "services:\n{}{}",
            svc("a", "/t/{a}", ""),
            svc("b", "/t/x", "")
        );
        let (code, err) = validate_file(&p, "federations/clash.yaml", &ok, &[]);
        assert_eq!(code, 0, "{err}");
    }
}

backends! {
    fn validate_rejects_unknown_and_self_dependencies(backend) {
        let p = Project::on(backend);
        let text = format!(
            "services:\n{}{}",
            svc("auth", "/a", ""),
            svc("cart", "/c", "auht")
        );
        let (code, err) = validate_file(&p, "federations/deps.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/deps.yaml:13:20")
                && err.contains("depends on unknown service `auht` (did you mean `auth`?)"),
            "{err}"
        );

        let text = format!("services:\n{}", svc("auth", "/a", "auth"));
        let (code, err) = validate_file(&p, "federations/deps.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/deps.yaml:7:20")
                && err.contains("service `auth` depends on itself"),
            "{err}"
        );
    }
}

backends! {
    fn validate_names_the_whole_dependency_cycle(backend) {
        let p = Project::on(backend);
        let text = format!(
            "services:\n{}{}{}{}",
            svc("a", "/a", "b"),
            svc("b", "/b", "c"),
            svc("c", "/c", "a"),
            svc("d", "/d", "a")
        );
        let (code, err) = validate_file(&p, "federations/cycle.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/cycle.yaml:2:5")
                && err.contains("dependency cycle: a → b → c → a"),
            "{err}"
        );
        assert_eq!(err.matches("dependency cycle").count(), 1, "{err}");
    }
}

backends! {
    fn validate_rejects_an_unparsable_url(backend) {
        let p = Project::on(backend);
        let text = "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: mock_v3\n    mock_url: \"http://exa mple.com\"\n";
        let (code, err) = validate_file(&p, "federations/url.yaml", text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/url.yaml:6:15") && err.contains("`mock_url` of `a`"),
            "{err}"
        );
    }
}

backends! {
    fn validate_rejects_an_unknown_reality_level_with_a_hint(backend) {
        let p = Project::on(backend);
        let text = "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: mock_v2\n    mock_url: http://127.0.0.1:1\n";
        let (code, err) = validate_file(&p, "federations/level.yaml", text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/level.yaml:5:20")
                && err.contains("unknown reality level `mock_v2`")
                && err.contains("did you mean `mock_v3`?"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

backends! {
    fn validate_rejects_an_unknown_top_level_key(backend) {
        let p = Project::on(backend);
        let text = format!("name: x\nservces:\n{}", svc("a", "/a", ""));
        let (code, err) = validate_file(&p, "federations/key.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/key.yaml:2:1") && err.contains("services"),
            "{err}"
        );
        // An unknown key inside a service too.
        let text = format!("services:\n{}    mock_ulr: http://h\n", svc("a", "/a", ""));
        let (code, err) = validate_file(&p, "federations/key.yaml", &text, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("federations/key.yaml:8:5") && err.contains("mock_url"),
            "{err}"
        );
    }
}

backends! {
    fn missing_url_is_a_warning_but_an_error_when_strict(backend) {
        let p = Project::on(backend);
        let text = "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: blended\n    mock_url: http://127.0.0.1:1\n";
        let (code, err) = validate_file(&p, "federations/m.yaml", text, &[]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("federations/m.yaml:2:5")
                && err.contains("`a` is `blended` but has no `upstream_url`"),
            "{err}"
        );
        let (code, err) = validate_file(&p, "federations/m.yaml", text, &["--strict"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("federations/m.yaml:2:5"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// MockForge files

const MOCKFORGE: &str = "\
federation:
  name: mf
  description: a MockForge federation
  services:
    - name: auth
      workspace_id: 0f8fad5b-d9cb-469f-a165-70867728950e
      base_path: /auth
      reality_level: mock_v3
      config:
        team: identity
        retries: 3
    - name: orders
      workspace_id: 7c9e6679-7425-40de-944b-e07fc1f90ae7
      base_path: /orders
      reality_level: real
      dependencies: [auth]
";

backends! {
    fn mockforge_file_loads_validates_with_warnings_and_routes(backend) {
        let p = Project::on(backend);
        p.write("federations/mf.yaml", MOCKFORGE);
        let out = p.run(&["federation", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains("warning"), "{}", out.stderr);
        assert!(
            out.stderr.contains("`team`") && out.stderr.contains("has no `mock_url`"),
            "{}",
            out.stderr
        );
        let strict = p.run(&["federation", "validate", "--strict"]);
        assert_eq!(strict.code, 2, "{}", strict.stderr);

        let (code, v, err) = route(&p, "/orders/42");
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            v,
            json!({"federation": "mf", "service": "orders",
                   "workspace_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "reality_level": "real",
                   "base_path": "/orders", "params": {}, "service_path": "/42", "target_url": null})
        );
        let (code, list, _) = p.json(&["federation", "list"]);
        assert_eq!(code, 0);
        assert_eq!(
            list,
            json!([{"name": "mf", "file": "federations/mf.yaml", "services": 2, "active_scenario": null}])
        );
        // `serve` refuses to start, naming the services lacking URLs.
        let serve = p.run(&["federation", "serve", "--listen", "127.0.0.1:0"]);
        assert_eq!(serve.code, 2, "{}", serve.stderr);
        assert!(
            serve.stderr.contains("`auth`") && serve.stderr.contains("`orders`"),
            "{}",
            serve.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------
// route

backends! {
    fn route_json_has_exactly_the_spec_keys(backend) {
        let p = shop(backend);
        let (code, v, err) = route(&p, "/auth/login");
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            v,
            json!({"federation": "shop", "service": "auth", "workspace_id": "auth-ws",
                   "reality_level": "mock_v3", "base_path": "/auth", "params": {},
                   "service_path": "/login", "target_url": "http://127.0.0.1:4010/login"})
        );
        assert_eq!(
            keys(&v),
            [
                "base_path",
                "federation",
                "params",
                "reality_level",
                "service",
                "service_path",
                "target_url",
                "workspace_id"
            ]
        );
        // With a method, the same route.
        let (code, v, _) = p.json(&["federation", "route", "POST", "/auth/login"]);
        assert_eq!(code, 0);
        assert_eq!(v["service"], "auth");
        assert_eq!(v["service_path"], "/login");
        // The query is not part of the service path.
        let (_, v, _) = route(&p, "/auth/login?next=/x");
        assert_eq!(v["service_path"], "/login");
    }
}

backends! {
    fn route_matches_segment_boundaries_only(backend) {
        let p = shop(backend);
        let (code, v, _) = route(&p, "/auth");
        assert_eq!(code, 0);
        assert_eq!(v["service"], "auth");
        assert_eq!(v["service_path"], "/");
        assert_eq!(v["target_url"], "http://127.0.0.1:4010/");
        let (code, v, _) = route(&p, "/auth/");
        assert_eq!(code, 0);
        assert_eq!(v["service_path"], "/");

        let out = p.run(&["--format", "json", "federation", "route", "/authx"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(out.json(), json!({"error": "no route", "path": "/authx"}));
        let out = p.run(&["federation", "route", "GET", "/authx/y"]);
        assert_eq!(out.code, 1);
        assert!(out.stderr.contains("no route"), "{}", out.stderr);

        // A pasted URL routes by its path; what is not a path or a method is bad input.
        let (code, v, _) = route(&p, "http://localhost:8080/auth/login?x=1");
        assert_eq!(code, 0);
        assert_eq!(v["service"], "auth");
        for args in [
            &[""][..],
            &["auth/login"],
            &["GE T", "/auth"],
            &["G3T", "/auth"],
        ] {
            let mut full = vec!["federation", "route"];
            full.extend_from_slice(args);
            let out = p.run(&full);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(out.stderr.contains("must"), "{args:?}: {}", out.stderr);
        }
    }
}

backends! {
    fn route_captures_params_prefers_static_and_longest(backend) {
        let p = shop(backend);
        // {param} capture; `real` → upstream_url (with its own path) + service path.
        let (_, v, _) = route(&p, "/tenants/acme/orders/1");
        assert_eq!(v["service"], "tenant");
        assert_eq!(v["params"], json!({"tenant": "acme"}));
        assert_eq!(v["service_path"], "/orders/1");
        assert_eq!(v["target_url"], "http://127.0.0.1:5000/api/orders/1");
        // Longest wins: cart (3 segments) over tenant (2); blended targets upstream_url.
        let (_, v, _) = route(&p, "/tenants/acme/cart/items");
        assert_eq!(v["service"], "cart");
        assert_eq!(v["base_path"], "/tenants/{tenant}/cart");
        assert_eq!(v["params"], json!({"tenant": "acme"}));
        assert_eq!(v["service_path"], "/items");
        assert_eq!(v["target_url"], "http://127.0.0.1:5011/items");
        // Static beats param at equal length.
        let (_, v, _) = route(&p, "/tenants/admin/users");
        assert_eq!(v["service"], "admin");
        assert_eq!(v["params"], json!({}));
        assert_eq!(v["service_path"], "/users");
        // ... but a longer match through the param still wins.
        let (_, v, _) = route(&p, "/tenants/admin/cart");
        assert_eq!(v["service"], "cart");
        assert_eq!(v["params"], json!({"tenant": "admin"}));
        assert_eq!(v["service_path"], "/");
        // At the first differing segment, static beats param: /a/b/{y} over /a/{x}/c.
        let (_, v, _) = route(&p, "/a/b/c");
        assert_eq!(v["service"], "right");
        assert_eq!(v["params"], json!({"y": "c"}));
        let (_, v, _) = route(&p, "/a/z/c/d");
        assert_eq!(v["service"], "left");
        assert_eq!(v["params"], json!({"x": "z"}));
        assert_eq!(v["service_path"], "/d");
    }
}

backends! {
    fn route_strip_prefix_false_and_missing_target(backend) {
        let p = shop(backend);
        let (_, v, _) = route(&p, "/full/9/x");
        assert_eq!(v["service"], "full");
        assert_eq!(v["params"], json!({"id": "9"}));
        assert_eq!(v["service_path"], "/full/9/x");
        assert_eq!(v["reality_level"], "chaos_driven");
        assert_eq!(v["target_url"], "http://127.0.0.1:4015/v2/full/9/x");
        // `real` without upstream_url: null target (a warning, route still answers).
        let (code, v, _) = route(&p, "/nourl/a");
        assert_eq!(code, 0);
        assert_eq!(v["service"], "nourl");
        assert_eq!(v["target_url"], Value::Null);
        // The text format prints the same facts.
        let out = p.run(&["federation", "route", "/tenants/acme/cart/x"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("service: cart"), "{}", out.stdout);
    }
}

backends! {
    fn several_federations_need_a_name(backend) {
        let p = shop(backend);
        p.write(
            "federations/other.yaml",
            &format!("services:\n{}", svc("auth", "/auth", "")),
        );
        for args in [
            &["federation", "route", "/auth"][..],
            &["federation", "graph"][..],
            &["federation", "serve", "--listen", "127.0.0.1:0"][..],
            &["federation", "scenario", "show"][..],
        ] {
            let out = p.run(args);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("shop") && out.stderr.contains("other"),
                "{args:?}: {}",
                out.stderr
            );
        }
        let (code, v, err) = p.json(&["federation", "route", "/auth", "--federation", "other"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["federation"], "other");
        let out = p.run(&["federation", "route", "/auth", "--federation", "nope"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("nope"), "{}", out.stderr);
    }
}

// ---------------------------------------------------------------------------------------
// list, graph, read-only commands

backends! {
    fn list_and_graph(backend) {
        let p = shop(backend);
        p.write("federations/other.yaml", "name: second\nservices: []\n");
        let (code, v, err) = p.json(&["federation", "list"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            v,
            json!([
                {"name": "second", "file": "federations/other.yaml", "services": 0, "active_scenario": null},
                {"name": "shop", "file": "federations/shop.yaml", "services": 8, "active_scenario": null},
            ])
        );
        let table = p.run(&["federation", "list"]);
        assert_eq!(table.code, 0);
        assert!(table.stdout.contains("shop"), "{}", table.stdout);

        let mermaid = p.run(&[
            "federation",
            "graph",
            "--federation",
            "shop",
            "--format",
            "mermaid",
        ]);
        assert_eq!(mermaid.code, 0, "{}", mermaid.stderr);
        let m = &mermaid.stdout;
        assert!(m.starts_with("graph") || m.starts_with("flowchart"), "{m}");
        // Node ids are opaque: find each service's id by its label.
        let id = |name: &str| -> String {
            let line = m
                .lines()
                .find(|l| l.contains(&format!("[\"{name}<br/>")))
                .unwrap_or_else(|| panic!("no node for {name}:\n{m}"));
            line.trim().split('[').next().unwrap().to_string()
        };
        for (from, to) in [("cart", "auth"), ("cart", "tenant"), ("admin", "auth")] {
            let edge = format!("{} --> {}", id(from), id(to));
            assert!(
                m.lines().any(|l| l.trim() == edge),
                "mermaid lacks {from} --> {to} ({edge}):\n{m}"
            );
        }
        assert_eq!(m.matches("-->").count(), 3, "{m}");

        let dot = p.run(&[
            "federation",
            "graph",
            "--federation",
            "shop",
            "--format",
            "dot",
        ]);
        assert_eq!(dot.code, 0, "{}", dot.stderr);
        let d = &dot.stdout;
        assert!(d.contains("digraph"), "{d}");
        for (from, to) in [("cart", "auth"), ("cart", "tenant"), ("admin", "auth")] {
            assert!(
                d.contains(&format!("\"{from}\" -> \"{to}\"")),
                "dot lacks {from} -> {to}:\n{d}"
            );
        }
        assert_eq!(d.matches("->").count(), 3, "{d}");
    }
}

/// SQLite only: it is about the file (on PostgreSQL these commands only read).
#[test]
fn read_only_commands_never_create_the_state_file() {
    let p = shop(Backend::Sqlite);
    for args in [
        &["federation", "route", "/auth/x"][..],
        &["federation", "route", "/nowhere"][..],
        &["federation", "list"][..],
        &["federation", "validate"][..],
        &["federation", "graph"][..],
        &["federation", "scenario", "show"][..],
    ] {
        let out = p.run(args);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        assert!(
            !p.path(".mockops").join("state.db").exists(),
            "{args:?} created the state file"
        );
    }
}

// ---------------------------------------------------------------------------------------
// scenarios

backends! {
    fn scenario_activate_list_show_deactivate(backend) {
        let p = shop(backend);
        p.write(
            "scenarios/outage.yaml",
            "name: outage\nservices:\n  cart:\n    reality_level: mock_v3\n    error_rate: 0.5\n    error_status: 503\n",
        );
        let out = p.run(&[
            "federation",
            "scenario",
            "activate",
            "scenarios/outage.yaml",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (_, list, _) = p.json(&["federation", "list"]);
        assert_eq!(list[0]["active_scenario"], "outage");
        let (code, show, _) = p.json(&["federation", "scenario", "show"]);
        assert_eq!(code, 0);
        assert_eq!(show["federation"], "shop");
        assert_eq!(show["active_scenario"], "outage");
        assert_eq!(show["file"], "scenarios/outage.yaml");
        assert_eq!(show["scenario"]["services"]["cart"]["error_status"], 503);
        let text = p.run(&["federation", "scenario", "show"]);
        assert!(text.stdout.contains("outage"), "{}", text.stdout);
        // route follows the effective level: mock_v3 now targets mock_url.
        let (_, v, _) = route(&p, "/tenants/acme/cart/items");
        assert_eq!(v["reality_level"], "mock_v3");
        assert_eq!(v["target_url"], "http://127.0.0.1:4011/items");

        let out = p.run(&["federation", "scenario", "deactivate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (_, list, _) = p.json(&["federation", "list"]);
        assert_eq!(list[0]["active_scenario"], Value::Null);
        let (_, show, _) = p.json(&["federation", "scenario", "show"]);
        assert_eq!(show["active_scenario"], Value::Null);
        let (_, v, _) = route(&p, "/tenants/acme/cart/items");
        assert_eq!(v["reality_level"], "blended");
    }
}

backends! {
    fn scenario_overrides_are_checked(backend) {
        let p = shop(backend);
        p.write(
            "scenarios/unknown.yaml",
            "name: bad\nservices:\n  carts:\n    error_rate: 1.0\n",
        );
        let out = p.run(&[
            "federation",
            "scenario",
            "activate",
            "scenarios/unknown.yaml",
        ]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("scenarios/unknown.yaml:3:3")
                && out.stderr.contains("unknown service `carts`"),
            "{}",
            out.stderr
        );
        assert!(
            !out.stderr
                .contains("error: scenarios/unknown.yaml:3:3: error:"),
            "{}",
            out.stderr
        );
        // Every problem is reported, one located line each, in file order.
        p.write(
            "scenarios/both.yaml",
            "name: bad\nservices:\n  pay:\n    error_rate: 1.0\n  auth:\n    error_rate: 2\n",
        );
        let out = p.run(&["federation", "scenario", "activate", "scenarios/both.yaml"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        let unknown = lines
            .iter()
            .position(|l| l.contains("scenarios/both.yaml:3:3") && l.contains("unknown service `pay`"));
        let range = lines.iter().position(|l| {
            l.contains("scenarios/both.yaml:6:17") && l.contains("`error_rate` of `auth`")
        });
        assert!(
            unknown.is_some() && range.is_some() && unknown < range,
            "{}",
            out.stderr
        );
        // auth has no upstream_url: it cannot be `real`.
        p.write(
            "scenarios/nourl.yaml",
            "name: bad\nservices:\n  auth:\n    reality_level: real\n",
        );
        let out = p.run(&["federation", "scenario", "activate", "scenarios/nourl.yaml"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("`auth`") && out.stderr.contains("upstream_url"),
            "{}",
            out.stderr
        );
        // A missing file is exit 2 as well; nothing was activated.
        let out = p.run(&["federation", "scenario", "activate", "scenarios/none.yaml"]);
        assert_eq!(out.code, 2);
        let (_, list, _) = p.json(&["federation", "list"]);
        assert_eq!(list[0]["active_scenario"], Value::Null);
    }
}

backends! {
    fn reality_level_changes_are_recorded_for_staleness(backend) {
        let p = shop(backend);
        let (code, report, err) = p.json(&["coverage", "report", "--since", "all"]);
        assert_eq!(code, 0, "{err}");
        let level_of = |report: &Value, service: &str| -> Value {
            report["staleness"]
                .as_array()
                .unwrap_or_else(|| panic!("no staleness: {report}"))
                .iter()
                .find(|s| s["service"] == service)
                .unwrap_or_else(|| panic!("no staleness for {service}: {report}"))["reality_level"]
                .clone()
        };
        assert_eq!(level_of(&report, "cart"), "blended");
        assert_eq!(level_of(&report, "auth"), "mock_v3");

        p.write(
            "scenarios/mocked.yaml",
            "name: mocked\nservices:\n  cart:\n    reality_level: mock_v3\n",
        );
        let out = p.run(&[
            "federation",
            "scenario",
            "activate",
            "scenarios/mocked.yaml",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (code, report, err) = p.json(&["coverage", "report", "--since", "all"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(level_of(&report, "cart"), "mock_v3");
        assert_eq!(level_of(&report, "auth"), "mock_v3");
        let cart = report["staleness"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == "cart")
            .unwrap();
        assert!(cart["since"].is_string(), "{cart}");

        let out = p.run(&["federation", "scenario", "deactivate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (_, report, _) = p.json(&["coverage", "report", "--since", "all"]);
        assert_eq!(level_of(&report, "cart"), "blended");
    }
}
