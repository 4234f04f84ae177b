//! mockops: pipelines, federation and coverage around API mocking.
pub mod exchange;
pub mod store;
pub mod yamlfile;
pub fn run() {}
