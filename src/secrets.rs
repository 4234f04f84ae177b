//! Secret masking (docs/conventions.md): values of `env.*` references and of config keys named
//! `token`, `secret`, `password`, `webhook_url`, `smtp_url` (4 characters or more)
//! are replaced by `***` in everything mockops prints or stores.

use serde_json::{Map, Value};

/// Config keys whose values are secrets.
pub const SECRET_KEYS: &[&str] = &[
    "token",
    "secret",
    "password",
    "webhook_url",
    "smtp_url",
    "slack_webhook_url",
    "webhook_urls",
];

/// The shortest value treated as a secret.
pub const MIN_SECRET_LEN: usize = 4;

/// A set of secret values to mask.
#[derive(Debug, Default, Clone)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    pub fn add(&mut self, value: &str) {
        if value.len() >= MIN_SECRET_LEN && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
            // longest first, so that a secret containing another is masked whole
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Adds the values of secret-named keys found anywhere in `config`.
    pub fn add_config_secrets(&mut self, config: &Map<String, Value>) {
        for (k, v) in config {
            if SECRET_KEYS.contains(&k.as_str()) {
                self.add_value(v);
            } else if let Value::Object(inner) = v {
                self.add_config_secrets(inner);
            } else if let Value::Array(items) = v {
                for item in items {
                    if let Value::Object(inner) = item {
                        self.add_config_secrets(inner);
                    }
                }
            }
        }
    }

    fn add_value(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.add(s),
            Value::Array(items) => items.iter().for_each(|i| self.add_value(i)),
            Value::Object(o) => o.values().for_each(|i| self.add_value(i)),
            _ => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "***");
            }
        }
        out
    }

    pub fn mask_value(&self, v: &Value) -> Value {
        if self.secrets.is_empty() {
            return v.clone();
        }
        match v {
            Value::String(s) => Value::String(self.mask(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.mask_value(x)).collect()),
            Value::Object(o) => Value::Object(self.mask_map(o)),
            other => other.clone(),
        }
    }

    pub fn mask_map(&self, m: &Map<String, Value>) -> Map<String, Value> {
        m.iter()
            .map(|(k, v)| (k.clone(), self.mask_value(v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_config_secrets_and_env_values() {
        let mut m = Masker::default();
        let cfg: Map<String, Value> = serde_json::from_value(json!({
            "token": "ghp_abcdef", "nested": {"password": "hunter22"}, "short": {"secret": "abc"}
        }))
        .unwrap();
        m.add_config_secrets(&cfg);
        m.add("from-env-value");
        assert_eq!(
            m.mask("t=ghp_abcdef p=hunter22 e=from-env-value s=abc"),
            "t=*** p=*** e=*** s=abc"
        );
        assert_eq!(
            m.mask_value(&json!({"a": ["hunter22"]})),
            json!({"a": ["***"]})
        );
    }
}
