//! Drift: whether traffic contradicts its spec, and the budgets that judge it.
//!
//! An exchange drifts when no operation matches, when its status is not declared (and
//! there is no `default` response), or when its response body is JSON and fails the
//! declared response's JSON Schema. A declared range such as `2XX` covers every status
//! of its hundred. Bodies that are absent or not JSON are not judged (they do not drift).
//! A schema that cannot be compiled is not judged either. Each distinct
//! (operation, status, response body) is validated once; validators are compiled once.
//!
//! Budgets: the first budget (in configuration order) whose `service` matches and that
//! has no `endpoint` glob judges a service's row (`endpoint: "*"`); the first budget with
//! a matching `endpoint` glob judges an endpoint's row. In globs `*` stays within a path
//! segment and `**` crosses segments; `{` and `}` are literal, so a template can be
//! written as is (`GET /pets/{petId}`).

use super::matcher::OpRef;
use super::model::{BudgetVerdict, DriftBudget, OperationSpec, SpecOperations};
use super::CoverageError;
use globset::{GlobBuilder, GlobMatcher};
use std::collections::HashMap;

/// Does a declared status (`"200"`, `"2XX"`) cover this status? `default` covers nothing here.
pub(crate) fn status_pattern_matches(declared: &str, status: u16) -> bool {
    let declared = declared.trim();
    if let Ok(exact) = declared.parse::<u16>() {
        return exact == status;
    }
    let bytes = declared.as_bytes();
    match bytes {
        [hundred @ b'1'..=b'5', x, y]
            if x.eq_ignore_ascii_case(&b'x') && y.eq_ignore_ascii_case(&b'x') =>
        {
            u16::from(hundred - b'0') == status / 100
        }
        _ => false,
    }
}

/// The index of the response that covers a status: exact, then a range, then `default`.
pub(crate) fn response_for(op: &OperationSpec, status: u16) -> Option<usize> {
    let exact = op
        .responses
        .iter()
        .position(|r| r.status.trim().parse::<u16>().ok() == Some(status));
    exact
        .or_else(|| {
            op.responses
                .iter()
                .position(|r| status_pattern_matches(&r.status, status))
        })
        .or_else(|| {
            op.responses
                .iter()
                .position(|r| r.status.trim().eq_ignore_ascii_case("default"))
        })
}

/// Judges exchanges against their operation's responses, caching compiled schemas.
pub(crate) struct DriftJudge<'s> {
    specs: &'s [SpecOperations],
    validators: HashMap<(OpRef, usize), Option<jsonschema::Validator>>,
}

/// What the judge needs to know about a response to decide.
pub(crate) enum Verdict {
    Drifts,
    Conforms,
    /// The body must be validated against this response's schema.
    NeedsBody(usize),
}

impl<'s> DriftJudge<'s> {
    pub fn new(specs: &'s [SpecOperations]) -> Self {
        DriftJudge {
            specs,
            validators: HashMap::new(),
        }
    }

    fn operation(&self, op: OpRef) -> Option<&'s OperationSpec> {
        self.specs.get(op.spec)?.operations.get(op.op)
    }

    /// The verdict without the body, when it can be given.
    pub fn judge_status(&self, op: Option<OpRef>, status: u16) -> Verdict {
        let Some(operation) = op.and_then(|op| self.operation(op)) else {
            return Verdict::Drifts;
        };
        match response_for(operation, status) {
            None => Verdict::Drifts,
            Some(index) => match operation
                .responses
                .get(index)
                .and_then(|r| r.json_schema.as_ref())
            {
                Some(_) => Verdict::NeedsBody(index),
                None => Verdict::Conforms,
            },
        }
    }

    /// Does this body break the schema of response `index` of `op`?
    pub fn body_drifts(&mut self, op: OpRef, index: usize, body: Option<&str>) -> bool {
        let Some(instance) =
            body.and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        else {
            return false;
        };
        let specs = self.specs;
        let validator = self.validators.entry((op, index)).or_insert_with(|| {
            let schema = specs
                .get(op.spec)
                .and_then(|s| s.operations.get(op.op))
                .and_then(|o| o.responses.get(index))
                .and_then(|r| r.json_schema.as_ref())?;
            jsonschema::validator_for(schema).ok()
        });
        validator.as_ref().is_some_and(|v| !v.is_valid(&instance))
    }
}

/// The budgets of `mockops.yaml`, with their endpoint globs compiled.
pub(crate) struct Budgets<'b> {
    budgets: Vec<(&'b DriftBudget, Option<GlobMatcher>)>,
}

impl<'b> Budgets<'b> {
    pub fn new(budgets: &'b [DriftBudget]) -> Result<Self, CoverageError> {
        let compiled = budgets
            .iter()
            .map(|budget| {
                let glob = match &budget.endpoint {
                    None => None,
                    Some(pattern) => Some(compile_glob(pattern)?),
                };
                Ok((budget, glob))
            })
            .collect::<Result<_, CoverageError>>()?;
        Ok(Budgets { budgets: compiled })
    }

    fn service_fits(budget: &DriftBudget, service: Option<&str>) -> bool {
        budget
            .service
            .as_deref()
            .is_none_or(|wanted| Some(wanted) == service)
    }

    /// The budget of a service's row.
    pub fn for_service(&self, service: Option<&str>) -> Option<&'b DriftBudget> {
        self.budgets
            .iter()
            .find(|(budget, glob)| glob.is_none() && Self::service_fits(budget, service))
            .map(|(budget, _)| *budget)
    }

    /// The budget of an endpoint's row (`"GET /pets/{petId}"`).
    pub fn for_endpoint(&self, service: Option<&str>, endpoint: &str) -> Option<&'b DriftBudget> {
        self.budgets
            .iter()
            .find(|(budget, glob)| {
                glob.as_ref().is_some_and(|g| g.is_match(endpoint))
                    && Self::service_fits(budget, service)
            })
            .map(|(budget, _)| *budget)
    }
}

fn compile_glob(pattern: &str) -> Result<GlobMatcher, CoverageError> {
    let escaped = pattern.replace('{', "\\{").replace('}', "\\}");
    GlobBuilder::new(&escaped)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|glob| glob.compile_matcher())
        .map_err(|e| CoverageError::BadGlob {
            glob: pattern.to_string(),
            message: e.kind().to_string(),
        })
}

/// Drift percentage and the budget's verdict: `insufficient` below `min_samples` (and for
/// no traffic), else `exceeded` over the budget, else `ok`; `None` without a budget.
pub(crate) fn verdict(
    total: u64,
    drifting: u64,
    budget: Option<&DriftBudget>,
) -> (f64, Option<BudgetVerdict>) {
    let percent = if total == 0 {
        0.0
    } else {
        drifting as f64 * 100.0 / total as f64
    };
    let verdict = budget.map(|b| {
        if total == 0 || total < b.min_samples {
            BudgetVerdict::Insufficient
        } else if percent > b.max_drift_percent {
            BudgetVerdict::Exceeded
        } else {
            BudgetVerdict::Ok
        }
    });
    (percent, verdict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::model::ResponseSpec;
    use serde_json::json;

    fn budget(service: Option<&str>, endpoint: Option<&str>, max: f64, min: u64) -> DriftBudget {
        DriftBudget {
            service: service.map(str::to_string),
            endpoint: endpoint.map(str::to_string),
            max_drift_percent: max,
            min_samples: min,
        }
    }

    #[test]
    fn status_ranges_and_default() {
        assert!(status_pattern_matches("2XX", 204));
        assert!(status_pattern_matches("4xx", 404));
        assert!(!status_pattern_matches("2XX", 301));
        assert!(!status_pattern_matches("default", 200));
        let op = OperationSpec {
            method: "GET".into(),
            path: "/a".into(),
            operation_id: None,
            responses: vec![
                ResponseSpec {
                    status: "default".into(),
                    json_schema: None,
                },
                ResponseSpec {
                    status: "2XX".into(),
                    json_schema: None,
                },
                ResponseSpec {
                    status: "200".into(),
                    json_schema: None,
                },
            ],
        };
        assert_eq!(response_for(&op, 200), Some(2));
        assert_eq!(response_for(&op, 201), Some(1));
        assert_eq!(response_for(&op, 500), Some(0));
    }

    #[test]
    fn schema_violations_drift_and_non_json_does_not() {
        let specs = vec![SpecOperations {
            service: None,
            spec_path: "s".into(),
            server_base_paths: vec![],
            operations: vec![OperationSpec {
                method: "GET".into(),
                path: "/a".into(),
                operation_id: None,
                responses: vec![ResponseSpec {
                    status: "200".into(),
                    json_schema: Some(
                        json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}),
                    ),
                }],
            }],
        }];
        let mut judge = DriftJudge::new(&specs);
        let op = OpRef { spec: 0, op: 0 };
        assert!(matches!(
            judge.judge_status(Some(op), 200),
            Verdict::NeedsBody(0)
        ));
        assert!(matches!(judge.judge_status(Some(op), 404), Verdict::Drifts));
        assert!(matches!(judge.judge_status(None, 200), Verdict::Drifts));
        assert!(!judge.body_drifts(op, 0, Some(r#"{"id": 3}"#)));
        assert!(judge.body_drifts(op, 0, Some(r#"{"id": "three"}"#)));
        assert!(judge.body_drifts(op, 0, Some("{}")));
        assert!(!judge.body_drifts(op, 0, Some("<html>")));
        assert!(!judge.body_drifts(op, 0, None));
    }

    #[test]
    fn first_matching_budget_wins_and_globs_respect_segments() {
        let list = vec![
            budget(Some("pay"), Some("GET /users/*"), 1.0, 0),
            budget(None, Some("** /admin/**"), 2.0, 0),
            budget(Some("pay"), None, 5.0, 20),
            budget(None, None, 10.0, 0),
        ];
        let budgets = Budgets::new(&list).unwrap();
        assert_eq!(
            budgets.for_service(Some("pay")).unwrap().max_drift_percent,
            5.0
        );
        assert_eq!(
            budgets
                .for_service(Some("other"))
                .unwrap()
                .max_drift_percent,
            10.0
        );
        assert_eq!(budgets.for_service(None).unwrap().max_drift_percent, 10.0);
        let at = |service, endpoint| {
            budgets
                .for_endpoint(service, endpoint)
                .map(|b| b.max_drift_percent)
        };
        assert_eq!(at(Some("pay"), "GET /users/{id}"), Some(1.0));
        assert_eq!(
            at(Some("pay"), "GET /users/{id}/cards"),
            None,
            "* stays in its segment"
        );
        assert_eq!(
            at(Some("other"), "GET /users/{id}"),
            None,
            "service must match"
        );
        assert_eq!(
            at(None, "DELETE /admin/users/{id}"),
            Some(2.0),
            "** crosses segments"
        );
    }

    #[test]
    fn min_samples_withholds_the_verdict() {
        use BudgetVerdict::*;
        let strict = budget(None, None, 5.0, 20);
        assert_eq!(verdict(10, 10, Some(&strict)), (100.0, Some(Insufficient)));
        assert_eq!(verdict(19, 0, Some(&strict)), (0.0, Some(Insufficient)));
        assert_eq!(verdict(20, 2, Some(&strict)), (10.0, Some(Exceeded)));
        assert_eq!(
            verdict(20, 1, Some(&strict)),
            (5.0, Some(Ok)),
            "at the budget is not over it"
        );
        assert_eq!(verdict(20, 20, None), (100.0, None));
        let any = budget(None, None, 5.0, 0);
        assert_eq!(verdict(0, 0, Some(&any)), (0.0, Some(Insufficient)));
        assert_eq!(verdict(1, 1, Some(&any)), (100.0, Some(Exceeded)));
    }
}
