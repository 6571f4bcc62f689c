//! Kubernetes exports (`kubectl get … -o json`; deprov reads no YAML form): lists, service
//! accounts, token Secrets, role bindings, each parsed with every Kubernetes format and
//! assembled into records. Input: `path\0content`.
#![no_main]

use deprov::sources::kubernetes::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::List,
    Format::ServiceAccounts,
    Format::Secrets,
    Format::RoleBindings,
    Format::ClusterRoleBindings,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(
        data,
        kubernetes::detect,
        FORMATS,
        kubernetes::parse,
        kubernetes::assemble,
    );
});
