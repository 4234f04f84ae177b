//! Full names of Protobuf elements, shared by the diff of messages, enums and services
//! (a leaf: it uses nothing of the other `proto_*` modules).

/// `package.name`, or `name` in the root package.
pub(crate) fn prefixed(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_string()
    } else {
        format!("{package}.{name}")
    }
}
