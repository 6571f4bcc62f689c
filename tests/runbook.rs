//! Issue 17, part 1: remediation runbooks. The example organisation's runbooks are pinned in
//! each format; every command deprov writes is checked against the CLI's documented syntax (a
//! table below, with the page that documents each form, not deprov's own output); and hostile
//! identity names, key IDs, namespaces and paths go through the whole pipeline and are checked
//! by bash itself to stay one argument each, with nothing executed.

mod common;

use std::path::Path;

use common::{deprov, NOW};
use serde_json::{json, Value};

fn stdout_of(args: &[&str]) -> String {
    let output = deprov().args(args).output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The scan runbook of the example organisation, written to a file named `name`.
fn scan_runbook(name: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let path_text = path.to_str().unwrap();
    let output = deprov()
        .args([
            "scan",
            "example-org",
            "--now",
            NOW,
            "--format",
            "runbook",
            "-o",
        ])
        .arg(path_text)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(&path).unwrap()
}

#[test]
fn example_org_scan_runbook_in_three_formats() {
    insta::assert_snapshot!(
        "example_org_scan_runbook_markdown",
        scan_runbook("runbook.md", &[])
    );
    insta::assert_snapshot!(
        "example_org_scan_runbook_shell",
        scan_runbook("runbook.sh", &[])
    );
    let json: Value = serde_json::from_str(&scan_runbook("runbook.json", &[])).unwrap();
    insta::assert_json_snapshot!("example_org_scan_runbook_json", json);
}

#[test]
fn example_org_verify_runbook_in_three_formats() {
    let markdown = stdout_of(&[
        "verify",
        "ci-legacy",
        "example-org",
        "--now",
        NOW,
        "--runbook",
    ]);
    insta::assert_snapshot!("example_org_verify_runbook_markdown", markdown);
    let json = stdout_of(&[
        "verify",
        "ci-legacy",
        "example-org",
        "--now",
        NOW,
        "--runbook",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("example_org_verify_runbook_json", json);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("ci-legacy.sh");
    deprov()
        .args([
            "verify",
            "ci-legacy",
            "example-org",
            "--now",
            NOW,
            "--runbook",
            "-o",
        ])
        .arg(&script)
        .assert()
        .code(1);
    insta::assert_snapshot!(
        "example_org_verify_runbook_shell",
        std::fs::read_to_string(&script).unwrap()
    );
}

#[test]
fn runbooks_are_deterministic() {
    assert_eq!(scan_runbook("a.json", &[]), scan_runbook("b.json", &[]));
}

#[test]
fn the_format_follows_the_output_file() {
    let markdown = scan_runbook("steps.txt", &[]);
    assert!(markdown.starts_with("# Remediation runbook"), "{markdown}");
    // Without --format runbook, a .sh output is a runbook script and a .json one the report.
    let dir = tempfile::tempdir().unwrap();
    let (script, report) = (dir.path().join("fix.sh"), dir.path().join("report.json"));
    deprov()
        .args(["scan", "example-org", "--now", NOW, "-o"])
        .arg(&script)
        .arg("-o")
        .arg(&report)
        .assert()
        .code(1);
    let script = std::fs::read_to_string(script).unwrap();
    assert!(script.starts_with("#!/usr/bin/env bash\n"), "{script}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert!(report["findings"].is_array());
}

#[test]
fn scripts_are_commented_out_unless_asked_and_never_print_a_secret() {
    let script = scan_runbook("runbook.sh", &[]);
    let commands: Vec<&str> = script
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(commands, ["set -euo pipefail"]);
    let executable = scan_runbook("runbook.sh", &["--runbook-executable"]);
    assert!(executable
        .lines()
        .any(|l| l.starts_with("aws iam delete-access-key ")));
    assert!(executable
        .lines()
        .any(|l| l.starts_with("read -r -p 'Step ")));
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("commented.sh", &script), ("executable.sh", &executable)] {
        std::fs::write(dir.path().join(name), text).unwrap();
        shellcheck(&dir.path().join(name));
    }
    // The planted secrets of the example organisation (their values are in the repository's
    // blobs) never appear; the runbook names credential IDs.
    for output in [&script, &executable, &scan_runbook("runbook.md", &[])] {
        for value in ["wJalrXUtnFEMI", "Winter2024x", "-----BEGIN", "xoxb-"] {
            assert!(!output.contains(value), "{value}");
        }
        assert!(output.contains("AKIA5CILEGACY2ACCESS"));
    }
}

/// The documented forms of every command a runbook may write. `{}` is one argument from an
/// input; `PREFIX{}` is a fixed prefix joined to one (`--role={}`). Each row names the page
/// that documents it. A command takes the first row it matches: specific rows come first.
const DOCUMENTED: &[(&str, &str)] = &[
    ("aws iam update-access-key --user-name {} --access-key-id {} --status Inactive", "https://docs.aws.amazon.com/cli/latest/reference/iam/update-access-key.html"),
    ("aws iam delete-access-key --user-name {} --access-key-id {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-access-key.html"),
    ("aws iam delete-login-profile --user-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-login-profile.html"),
    ("aws iam detach-user-policy --user-name {} --policy-arn {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/detach-user-policy.html"),
    ("aws iam detach-role-policy --role-name {} --policy-arn {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/detach-role-policy.html"),
    ("aws iam remove-user-from-group --user-name {} --group-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/remove-user-from-group.html"),
    ("aws iam delete-user-policy --user-name {} --policy-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-user-policy.html"),
    ("aws iam delete-role-policy --role-name {} --policy-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-role-policy.html"),
    ("aws iam delete-user --user-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-user.html"),
    ("aws iam delete-role --role-name {}", "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-role.html"),
    ("gcloud iam service-accounts keys disable {} --iam-account={}", "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/keys/disable"),
    ("gcloud iam service-accounts keys delete {} --iam-account={}", "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/keys/delete"),
    ("gcloud iam service-accounts disable {}", "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/disable"),
    ("gcloud iam service-accounts delete {}", "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/delete"),
    ("gcloud projects remove-iam-policy-binding {} --member=serviceAccount:{} --role={}", "https://cloud.google.com/sdk/gcloud/reference/projects/remove-iam-policy-binding"),
    ("gcloud projects remove-iam-policy-binding {} --member=serviceAccount:{} --role={} --all", "https://cloud.google.com/sdk/gcloud/reference/projects/remove-iam-policy-binding"),
    ("gcloud organizations remove-iam-policy-binding {} --member=serviceAccount:{} --role={}", "https://cloud.google.com/sdk/gcloud/reference/organizations/remove-iam-policy-binding"),
    ("gcloud resource-manager folders remove-iam-policy-binding {} --member=serviceAccount:{} --role={}", "https://cloud.google.com/sdk/gcloud/reference/resource-manager/folders/remove-iam-policy-binding"),
    ("az ad app credential delete --id {} --key-id {}", "https://learn.microsoft.com/en-us/cli/azure/ad/app/credential#az-ad-app-credential-delete"),
    ("az ad app credential delete --id {} --key-id {} --cert", "https://learn.microsoft.com/en-us/cli/azure/ad/app/credential#az-ad-app-credential-delete"),
    ("az ad sp credential delete --id {} --key-id {}", "https://learn.microsoft.com/en-us/cli/azure/ad/sp/credential#az-ad-sp-credential-delete"),
    ("az ad sp credential delete --id {} --key-id {} --cert", "https://learn.microsoft.com/en-us/cli/azure/ad/sp/credential#az-ad-sp-credential-delete"),
    ("az ad sp update --id {} --set accountEnabled=false", "https://learn.microsoft.com/en-us/cli/azure/ad/sp#az-ad-sp-update (generic update arguments: --set)"),
    ("az ad sp delete --id {}", "https://learn.microsoft.com/en-us/cli/azure/ad/sp#az-ad-sp-delete"),
    ("az ad app delete --id {}", "https://learn.microsoft.com/en-us/cli/azure/ad/app#az-ad-app-delete"),
    ("kubectl -n {} delete secret {}", "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/ (-n, --namespace: kubectl's global flag)"),
    ("kubectl -n {} delete rolebinding {}", "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/"),
    ("kubectl delete clusterrolebinding {}", "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/"),
    ("kubectl -n {} delete serviceaccount {}", "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/"),
    ("vault write {}/secret-id-accessor/destroy secret_id_accessor={}", "https://developer.hashicorp.com/vault/api-docs/auth/approle#destroy-secret-id-by-accessor (POST /auth/:mount/role/:role_name/secret-id-accessor/destroy, secret_id_accessor)"),
    ("vault token revoke -accessor {}", "https://developer.hashicorp.com/vault/docs/commands/token/revoke"),
    ("vault lease revoke {}", "https://developer.hashicorp.com/vault/docs/commands/lease/revoke"),
    ("vault kv metadata delete {}", "https://developer.hashicorp.com/vault/docs/commands/kv/metadata"),
    ("vault delete identity/entity/id/{}", "https://developer.hashicorp.com/vault/api-docs/secret/identity/entity#delete-entity-by-id"),
    ("vault delete {}", "https://developer.hashicorp.com/vault/docs/commands/delete (DELETE /auth/approle/role/:role_name)"),
    ("vault write identity/entity/id/{} disabled=true", "https://developer.hashicorp.com/vault/api-docs/secret/identity/entity#update-entity-by-id"),
    ("vault write {}/revoke serial_number={}", "https://developer.hashicorp.com/vault/api-docs/secret/pki#revoke-certificate (POST /pki/revoke, serial_number)"),
    ("vault write {}/tidy tidy_cert_store=true tidy_revoked_certs=true", "https://developer.hashicorp.com/vault/api-docs/secret/pki#tidy"),
    ("gh api -X POST /orgs/${GITHUB_ORG}/personal-access-tokens/{} -f action=revoke", "https://docs.github.com/en/rest/orgs/personal-access-tokens#update-the-access-a-fine-grained-personal-access-token-has-to-organization-resources (POST /orgs/{org}/personal-access-tokens/{pat_id}, action=revoke); gh api -X/-f: https://cli.github.com/manual/gh_api"),
    ("gh api -X DELETE /repos/{}/keys/{}", "https://docs.github.com/en/rest/deploy-keys/deploy-keys#delete-a-deploy-key (DELETE /repos/{owner}/{repo}/keys/{key_id})"),
    ("gh api -X PUT /app/installations/{}/suspended", "https://docs.github.com/en/rest/apps/apps#suspend-an-app-installation"),
    ("gh api -X DELETE /app/installations/{}", "https://docs.github.com/en/rest/apps/apps#delete-an-installation-for-the-authenticated-app"),
    ("gh api -X DELETE /orgs/${GITHUB_ORG}/members/{}", "https://docs.github.com/en/rest/orgs/members#remove-an-organization-member"),
    ("deprov verify -- {} {}", "README.md, `deprov verify --help`"),
    ("deprov scan -- {}", "README.md, `deprov scan --help`"),
];

/// Whether one argument matches one token of a documented form.
fn token_matches(token: &str, arg: &str) -> bool {
    match token.find("{}") {
        None => token == arg,
        Some(at) => {
            let (prefix, suffix) = (&token[..at], &token[at + 2..]);
            arg.len() > prefix.len() + suffix.len()
                && arg.starts_with(prefix)
                && arg.ends_with(suffix)
                && (suffix.is_empty() || !suffix.contains("{}"))
        }
    }
}

/// Whether a command matches a documented form; a form's `{}` inside a path matches any text
/// between its fixed parts.
fn form_matches(form: &str, argv: &[String]) -> bool {
    let tokens: Vec<&str> = form.split(' ').collect();
    tokens.len() == argv.len()
        && tokens.iter().zip(argv).all(|(token, arg)| {
            let pieces: Vec<&str> = token.split("{}").collect();
            if pieces.len() <= 2 {
                return token_matches(token, arg);
            }
            // Several values in one argument: the fixed pieces in order.
            let mut rest = arg.as_str();
            for (i, piece) in pieces.iter().enumerate() {
                if i == 0 {
                    let Some(after) = rest.strip_prefix(piece) else {
                        return false;
                    };
                    rest = after;
                } else if i == pieces.len() - 1 {
                    if !rest.ends_with(piece) || rest.len() <= piece.len() {
                        return false;
                    }
                } else {
                    let Some(at) = rest.get(1..).and_then(|r| r.find(piece)) else {
                        return false;
                    };
                    rest = &rest[at + 1 + piece.len()..];
                }
            }
            true
        })
}

fn commands_of(runbook: &Value) -> Vec<Vec<String>> {
    runbook["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["command"]["argv"].as_array())
        .map(|argv| {
            argv.iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_command_has_a_documented_form() {
    let mut runbooks = vec![serde_json::from_str::<Value>(&scan_runbook("r.json", &[])).unwrap()];
    for identity in [
        "ci-legacy",
        "legacy-sync",
        "legacy-payments",
        "old-api",
        "old-reporting",
    ] {
        runbooks.push(
            serde_json::from_str(&stdout_of(&[
                "verify",
                identity,
                "example-org",
                "--now",
                NOW,
                "--runbook",
                "--format",
                "json",
            ]))
            .unwrap(),
        );
    }
    let mut used = std::collections::BTreeSet::new();
    for runbook in &runbooks {
        for argv in commands_of(runbook) {
            let form = DOCUMENTED
                .iter()
                .find(|(form, _)| form_matches(form, &argv))
                .unwrap_or_else(|| panic!("no documented form for {argv:?}"));
            used.insert(form.0);
        }
    }
    // The example organisation exercises most of the table (the rest: unit tests per family).
    assert!(used.len() >= 25, "only {} forms used: {used:?}", used.len());
    // Every documentation page a step names is one the table names, or a procedure's.
    for runbook in &runbooks {
        for step in runbook["steps"].as_array().unwrap() {
            let page = step["documentation"].as_str().unwrap();
            assert!(
                page.starts_with("https://") || page == "docs/COLLECTORS.md",
                "{page}"
            );
            if step["command"].is_object() && !page.starts_with("docs/") {
                assert!(
                    DOCUMENTED.iter().any(|(_, doc)| doc.contains(page)),
                    "{page} is not in the table"
                );
            }
        }
    }
}

#[test]
fn every_residual_item_of_a_retired_identity_is_planned_for() {
    for identity in [
        "ci-legacy",
        "legacy-sync",
        "legacy-payments",
        "old-api",
        "old-reporting",
    ] {
        let checklist: Value = serde_json::from_str(&stdout_of(&[
            "verify",
            identity,
            "example-org",
            "--now",
            NOW,
            "--format",
            "json",
        ]))
        .unwrap();
        let runbook: Value = serde_json::from_str(&stdout_of(&[
            "verify",
            identity,
            "example-org",
            "--now",
            NOW,
            "--runbook",
            "--format",
            "json",
        ]))
        .unwrap();
        let resolved: Vec<&str> = runbook["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["resolves"].as_array().unwrap())
            .map(|r| r.as_str().unwrap())
            .collect();
        for item in checklist["items"].as_array().unwrap() {
            let kind = item["kind"].as_str().unwrap();
            // Aliases go with their records; a certificate's subject with its certificate.
            if item["state"] != "still_present"
                || kind == "alias"
                || (kind == "account" && item["id"].as_str().unwrap().starts_with("dns:"))
            {
                continue;
            }
            let label = format!(
                "{kind} {} {}",
                item["system"].as_str().unwrap(),
                item["id"].as_str().unwrap()
            );
            assert!(
                resolved.contains(&label.as_str()),
                "{identity}: no step for {label}"
            );
        }
        // The steps keep the safe order.
        let phases: Vec<&str> = runbook["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["phase"].as_str().unwrap())
            .collect();
        let order = [
            "disable",
            "delete",
            "remove_grants",
            "remove_accounts",
            "rotate",
            "clean_up",
            "purge_history",
            "reverify",
        ];
        let ranks: Vec<usize> = phases
            .iter()
            .map(|p| order.iter().position(|o| o == p).unwrap())
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "{identity}: {phases:?}"
        );
        assert_eq!(phases.last(), Some(&"reverify"));
    }
}

// Hostile inputs -------------------------------------------------------------------------------

/// A namespace with a command substitution and backticks.
const NAMESPACE: &str = "ci$(touch pwned1)`touch pwned2`";
/// A ServiceAccount name that closes a single quote and chains a command.
const ACCOUNT: &str = "svc'; touch pwned3; echo '";
/// A Secret name (the token credential's ID) with a newline, double quotes and a variable.
const SECRET: &str = "tok\ntouch pwned4 \"$HOME\"";
/// A RoleBinding name with a right-to-left override and a semicolon.
const BINDING: &str = "rb\u{202e}txt.exe;touch pwned5";
/// A register identity that starts like an option and substitutes a command.
const IDENTITY: &str = "-id$(touch pwned6)";
/// The scanned directory: a space, a substitution, backticks, a newline, quotes, a bidi override.
const DIRECTORY: &str = "exp $(touch pwned7) `touch pwned8` ;\n'\"\u{2067}x";

fn hostile_tree(root: &Path) -> std::path::PathBuf {
    let dir = root.join(DIRECTORY);
    std::fs::create_dir_all(dir.join("kubernetes")).unwrap();
    let alias = format!("system:serviceaccount:{NAMESPACE}:{ACCOUNT}");
    let register = json!({
        "identities": [{
            "id": IDENTITY, "kind": "service", "status": "retired", "retired_at": "2026-03-01",
            "owner": "platform-team", "aliases": [alias]
        }],
        "teams": [{"id": "platform-team"}]
    });
    std::fs::write(dir.join("register.json"), register.to_string()).unwrap();
    let meta = |name: &str| json!({"name": name, "namespace": NAMESPACE, "uid": "u-1", "creationTimestamp": "2024-01-01T00:00:00Z"});
    let accounts = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(ACCOUNT)}
    ]});
    let mut secret_meta = meta(SECRET);
    secret_meta["annotations"] = json!({"kubernetes.io/service-account.name": ACCOUNT});
    let secrets = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token", "metadata": secret_meta}
    ]});
    let bindings = json!({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta(BINDING),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
         "subjects": [{"kind": "ServiceAccount", "name": ACCOUNT, "namespace": NAMESPACE}]}
    ]});
    for (file, value) in [
        ("serviceaccounts.json", accounts),
        ("secrets.json", secrets),
        ("rolebindings.json", bindings),
    ] {
        std::fs::write(dir.join("kubernetes").join(file), value.to_string()).unwrap();
    }
    dir
}

/// Shell functions that stand in for every CLI a runbook calls: each records its arguments,
/// NUL-terminated, and a second NUL ends the command.
const SHIMS: &str = r#"
for program in aws gcloud az kubectl vault gh deprov; do
  eval "$program() { printf '%s\0' $program \"\$@\" >> \"\$RUNBOOK_ARGV\"; printf '\0' >> \"\$RUNBOOK_ARGV\"; }"
done
"#;

/// Runs shellcheck on a script where it is installed (`.ci/run` installs it).
fn shellcheck(script: &Path) {
    let Ok(output) = std::process::Command::new("shellcheck")
        .arg(script)
        .output()
    else {
        eprintln!("shellcheck is not installed: not run");
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Runs a script with the shims in `cwd`; returns the commands it ran.
fn run_script(script: &Path, cwd: &Path) -> Vec<Vec<String>> {
    let argv = cwd.join("argv.bin");
    std::fs::write(&argv, b"").unwrap();
    let shims = cwd.join("shims.sh");
    std::fs::write(&shims, SHIMS).unwrap();
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg("source \"$1\"; source \"$2\"")
        .arg("bash")
        .arg(&shims)
        .arg(script)
        .current_dir(cwd)
        .env("RUNBOOK_ARGV", &argv)
        .env("GITHUB_ORG", "example-org")
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&argv).unwrap();
    let mut commands = Vec::new();
    let mut current = Vec::new();
    for field in bytes.split(|b| *b == 0) {
        if field.is_empty() {
            if !current.is_empty() {
                commands.push(std::mem::take(&mut current));
            }
        } else {
            current.push(String::from_utf8(field.to_vec()).unwrap());
        }
    }
    commands
}

#[test]
fn hostile_values_stay_one_argument_and_nothing_runs() {
    let root = tempfile::tempdir().unwrap();
    let dir = hostile_tree(root.path());
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let (script, executable, json_file, markdown_file) = (
        out.join("runbook.sh"),
        out.join("executable.sh"),
        out.join("runbook.json"),
        out.join("runbook.md"),
    );
    let output = deprov()
        .current_dir(root.path())
        .args(["verify", "--now", NOW, "--runbook", "-o"])
        .arg(&script)
        .arg("-o")
        .arg(&json_file)
        .arg("-o")
        .arg(&markdown_file)
        .args(["--", IDENTITY, DIRECTORY])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    deprov()
        .current_dir(root.path())
        .args([
            "verify",
            "--now",
            NOW,
            "--runbook",
            "--runbook-executable",
            "-o",
        ])
        .arg(&executable)
        .args(["--", IDENTITY, DIRECTORY])
        .assert()
        .code(1);
    assert!(dir.exists());

    // The JSON keeps the exact values; each is one element of a command's argv.
    let runbook: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    let expected = commands_of(&runbook);
    let flat: Vec<&String> = expected.iter().flatten().collect();
    for value in [NAMESPACE, ACCOUNT, SECRET, BINDING, IDENTITY, DIRECTORY] {
        assert!(
            flat.iter().any(|a| a.as_str() == value),
            "{value:?} is not one argument: {expected:?}"
        );
    }
    for argv in &expected {
        assert!(
            DOCUMENTED.iter().any(|(form, _)| form_matches(form, argv)),
            "no documented form for {argv:?}"
        );
    }

    // bash parses both scripts, and shellcheck (installed by .ci/run) finds nothing in them.
    for file in [&script, &executable] {
        let check = std::process::Command::new("bash")
            .arg("-n")
            .arg(file)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        shellcheck(file);
    }
    // The commented-out script runs nothing; the executable one runs exactly the commands of
    // the JSON, argument for argument. Neither executes anything an input holds.
    let cwd = tempfile::tempdir().unwrap();
    assert_eq!(run_script(&script, cwd.path()), Vec::<Vec<String>>::new());
    assert_eq!(run_script(&executable, cwd.path()), expected);
    let created: Vec<_> = std::fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("pwned"))
        .collect();
    assert!(created.is_empty(), "{created:?}");
    assert!(!root.path().join("pwned1").exists() && !out.join("pwned1").exists());

    // Every line of a script is a comment, an instruction of deprov's own, or a command: a
    // newline in a value never starts a line of its own, and no bidi or control character is
    // written raw.
    let text = std::fs::read_to_string(&script).unwrap();
    for line in text.lines() {
        assert!(
            line.starts_with('#') || line.is_empty() || line == "set -euo pipefail",
            "{line:?}"
        );
        assert!(
            !line.chars().any(|c| c.is_control()
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{line:?}"
        );
    }
    // Markdown: the hostile text is escaped, code blocks open and close in pairs, and each
    // command stays on its line.
    let markdown = std::fs::read_to_string(&markdown_file).unwrap();
    assert!(!markdown.contains('\u{202e}') && !markdown.contains('\u{2067}'));
    assert!(markdown.contains("\\u{202e}"));
    let fences = markdown
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    assert_eq!(fences % 2, 0);
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if in_code {
            let program = line.trim_start().split(' ').next().unwrap();
            assert!(
                ["aws", "gcloud", "az", "kubectl", "vault", "gh", "deprov"].contains(&program),
                "{line:?}"
            );
        }
    }
}

/// Records of every kind the example organisation lacks, through `runbook::for_checklist`:
/// with the example organisation's runbooks, every row of the table is exercised.
fn synthetic_runbook() -> Value {
    use deprov::inventory::*;
    use deprov::verify::{Checklist, ChecklistItem, ItemKind, ItemState};
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let evidence = || Evidence::new("synthetic.json", "made for the test");
    let aws = SystemRef::new(SourceFamily::Aws, "111122223333");
    let gcp = SystemRef::new(SourceFamily::Gcp, "example-prod");
    let entra = SystemRef::new(SourceFamily::Azure, "entra");
    let cluster = SystemRef::new(SourceFamily::Kubernetes, "cluster");
    let vault = SystemRef::new(SourceFamily::Vault, "vault");
    let github = SystemRef::new(SourceFamily::Github, "github");
    let user = "arn:aws:iam::111122223333:user/svc";
    let sa = "svc@example-prod.iam.gserviceaccount.com";
    let app = "8c1d4e2f-6a3b-4c5d-8e9f-0a1b2c3d4e5f";
    let sp = Locator::Entra(EntraObject::ServicePrincipal);
    let credentials = vec![
        CredentialRecord::new(
            aws.clone(),
            format!("{user}#password"),
            CredentialKind::Password,
            user,
            CredentialStatus::Active,
            evidence(),
        ),
        CredentialRecord::new(
            entra.clone(),
            "7e2d9f41-3c5a-4b8e-a1d2-6f0e9c8b7a65",
            CredentialKind::ClientSecret,
            app,
            CredentialStatus::Active,
            evidence(),
        )
        .locator(sp.clone()),
        CredentialRecord::new(
            entra.clone(),
            "c3b2a190-8f7e-4d6c-b5a4-39281706f5e4",
            CredentialKind::ClientCertificate,
            app,
            CredentialStatus::Active,
            evidence(),
        )
        .locator(sp),
        CredentialRecord::new(
            vault.clone(),
            "database/creds/readonly/2f6a614c",
            CredentialKind::Lease,
            "database/roles/readonly",
            CredentialStatus::Active,
            evidence(),
        ),
        CredentialRecord::new(
            vault.clone(),
            "sha256:ab",
            CredentialKind::Certificate,
            "dns:svc.example.com",
            CredentialStatus::Active,
            evidence(),
        )
        .expires(Expiry::At("2030-01-01T00:00:00Z".parse().unwrap()))
        .locator(Locator::Certificate(Issuance {
            issuer: "CN=Example CA".into(),
            serial: "3a9f2c".into(),
            vault_pki_mount: Some("pki".into()),
        })),
        CredentialRecord::new(
            github.clone(),
            "installation:77",
            CredentialKind::AppInstallation,
            "github:app:deployer",
            CredentialStatus::Active,
            evidence(),
        ),
    ];
    let grants = vec![
        GrantRecord::new(aws.clone(), user, "inline-policy:legacy-s3", evidence()),
        GrantRecord::new(
            gcp.clone(),
            sa,
            "role:roles/viewer on //cloudresourcemanager.googleapis.com/organizations/12",
            evidence(),
        )
        .holder_kind(IdentityKind::Service),
        GrantRecord::new(
            gcp.clone(),
            sa,
            "role:roles/viewer on //cloudresourcemanager.googleapis.com/folders/34",
            evidence(),
        )
        .holder_kind(IdentityKind::Service),
        GrantRecord::new(
            gcp.clone(),
            sa,
            "role:roles/editor on project (conditional: until 2027)",
            evidence(),
        )
        .holder_kind(IdentityKind::Service),
        GrantRecord::new(
            cluster.clone(),
            "system:serviceaccount:ci:svc",
            "ClusterRole/admin via ClusterRoleBinding/ci-admin",
            evidence(),
        ),
    ];
    let mut inventory = Inventory::default();
    let mut items = Vec::new();
    for (c, credential) in credentials.iter().enumerate() {
        items.push(ChecklistItem {
            kind: ItemKind::Credential,
            state: ItemState::StillPresent,
            system: Some(credential.system.to_string()),
            id: credential.id.clone(),
            detail: String::new(),
            evidence: None,
            record: Some(RecordRef::Credential(c)),
        });
    }
    for (g, grant) in grants.iter().enumerate() {
        items.push(ChecklistItem {
            kind: ItemKind::Grant,
            state: ItemState::StillPresent,
            system: Some(grant.system.to_string()),
            id: grant.privilege.clone(),
            detail: String::new(),
            evidence: None,
            record: Some(RecordRef::Grant(g)),
        });
    }
    inventory.records.credentials = credentials;
    inventory.records.grants = grants;
    let checklist = Checklist {
        schema_version: 1,
        evaluated_at: NOW.into(),
        identity: "svc".into(),
        registered: true,
        lifecycle: "retired",
        retired_at: None,
        retires_at: None,
        owner: None,
        complete: false,
        incomplete: Vec::new(),
        remaining: items.len(),
        items,
    };
    let runbook = deprov::runbook::for_checklist(
        &checklist,
        &inventory,
        now,
        deprov::runbook::Command::new(deprov::runbook::Program::Deprov, vec![]),
    );
    let mut out = Vec::new();
    deprov::report::runbook::write(
        &runbook,
        deprov::report::runbook::RunbookStyle::Json,
        &mut out,
    )
    .unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn every_documented_form_is_written_for_some_record() {
    let mut runbooks = vec![
        synthetic_runbook(),
        serde_json::from_str::<Value>(&scan_runbook("r.json", &[])).unwrap(),
    ];
    for identity in ["ci-legacy", "old-api", "legacy-sync"] {
        runbooks.push(
            serde_json::from_str(&stdout_of(&[
                "verify",
                identity,
                "example-org",
                "--now",
                NOW,
                "--runbook",
                "--format",
                "json",
            ]))
            .unwrap(),
        );
    }
    let mut used = std::collections::BTreeSet::new();
    for runbook in &runbooks {
        for argv in commands_of(runbook) {
            if argv == ["deprov"] {
                continue;
            }
            let form = DOCUMENTED
                .iter()
                .find(|(form, _)| form_matches(form, &argv))
                .unwrap_or_else(|| panic!("no documented form for {argv:?}"));
            used.insert(form.0);
        }
    }
    let unused: Vec<&str> = DOCUMENTED
        .iter()
        .map(|(form, _)| *form)
        .filter(|form| !used.contains(form))
        .collect();
    assert!(unused.is_empty(), "never written: {unused:?}");

    // bash reads every command's line back into exactly its argument vector.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("all.sh");
    let mut lines = String::new();
    let mut expected = Vec::new();
    for runbook in &runbooks {
        for step in runbook["steps"].as_array().unwrap() {
            let Some(shell) = step["command"]["shell"].as_str() else {
                continue;
            };
            lines.push_str(shell);
            lines.push('\n');
            let argv: Vec<String> = step["command"]["argv"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().replace("${GITHUB_ORG}", "example-org"))
                .collect();
            expected.push(argv);
        }
    }
    std::fs::write(&script, lines).unwrap();
    // A command without arguments records nothing but its end.
    let ran: Vec<Vec<String>> = run_script(&script, dir.path());
    let expected: Vec<Vec<String>> = expected
        .into_iter()
        .filter(|a| a.len() > 1 || a[0] != "deprov")
        .collect();
    let ran: Vec<Vec<String>> = ran
        .into_iter()
        .filter(|a| a.len() > 1 || a[0] != "deprov")
        .collect();
    assert_eq!(ran, expected);
}

#[test]
fn a_merged_run_names_each_finding_and_its_remediation() {
    // A merged report has no inventory: no commands, but every finding is in some step.
    let dir = tempfile::tempdir().unwrap();
    let mut shards = Vec::new();
    for k in 1..=2 {
        let shard = dir.path().join(format!("shard{k}.json"));
        deprov()
            .args(["scan", "example-org", "--now", NOW, "--format", "json"])
            .args(["--shard", &format!("{k}/2"), "-o"])
            .arg(&shard)
            .assert()
            .code(1);
        shards.push(shard);
    }
    let output = deprov()
        .arg("merge")
        .args(&shards)
        .args(["--format", "runbook", "-o"])
        .arg(dir.path().join("merged.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let runbook: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("merged.json")).unwrap())
            .unwrap();
    let findings = runbook["scope"]["findings"].as_u64().unwrap();
    let resolved: std::collections::BTreeSet<&str> = runbook["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["resolves"].as_array().unwrap())
        .filter_map(|r| r.as_str())
        .filter(|r| *r != "scan")
        .collect();
    assert_eq!(resolved.len() as u64, findings);
    let commands = commands_of(&runbook);
    assert_eq!(commands.len(), 1, "only the re-verification: {commands:?}");
}
