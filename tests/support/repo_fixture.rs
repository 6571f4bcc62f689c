//! Builds the example organisation's infrastructure repository with git2, deterministically
//! (fixed author and dates, so the same commits every time): a key of the retired `ci-legacy`
//! committed then removed, its GCP key file, the private key of the retired mesh workload whose
//! certificate is still trusted, a workflow still assuming its retired role, an agent token in an
//! MCP config, a key of an active identity, an allowed test fixture, and the Datadog API key of
//! the registered `metrics-agent` in the Claude Code configuration of its MCP server.
//!
//! Used by `tests/repository.rs` (into a temporary directory) and by
//! `cargo run --example repo_fixture -- testdata/example-org/repos/infra.git` (the bare copy the
//! README's example scans). Secret-shaped strings are assembled at run time so that this source
//! file itself holds none.
#![allow(dead_code)]

use std::path::Path;

use git2::{Oid, Repository, Signature, Time};

/// The fake secret access key paired with `ci-legacy`'s access key ID.
pub fn ci_legacy_secret() -> String {
    ["U8JZpDE0iGXlD", "6gNCFbaEPFjbD", "0kH8Oool8DklZD"].concat()
}

/// The fake secret paired with `deploy-bot`'s (active) access key ID.
pub fn deploy_bot_secret() -> String {
    ["Zr8xQ2mN4vB7", "kL9pT3wY6", "cD1fG5hJ0sA2eR4uI"].join("/")
}

/// The fake Slack bot token of the MCP configuration.
pub fn slack_token() -> String {
    format!(
        "{}-{}-{}-{}",
        ["xo", "xb"].concat(),
        "283749105528",
        "4928374655102",
        "PWywWGLHm65TyzXLebxvTRf4"
    )
}

/// A fake token in a test fixture that an inline allow comment covers.
pub fn fixture_token() -> String {
    format!(
        "{}{}",
        ["gh", "p_"].concat(),
        // Its last six characters are the checksum of the thirty before them.
        "R8xk2LmQ9vT4wZp7Nc3Hb6Yd1Fg5Js4WdVc7"
    )
}

/// The fake Datadog API key of `metrics-agent`'s MCP server (32 hex digits, as Datadog writes
/// them).
pub fn metrics_agent_key() -> String {
    ["7f3c9a1e5b2d", "48c6a0f9e3d1", "b7c5a2e4"].concat()
}

struct Step {
    /// Seconds since the epoch (UTC).
    time: i64,
    message: &'static str,
    writes: Vec<(&'static str, String)>,
    deletes: Vec<&'static str>,
}

fn steps(private_key: &str) -> Vec<Step> {
    let aws_env = format!(
        "# credentials of the old Jenkins pipeline\nAWS_ACCESS_KEY_ID={}{}\nAWS_SECRET_ACCESS_KEY={}\nAWS_DEFAULT_REGION=us-east-1\n",
        "AKIA",
        "5CILEGACY2ACCESS",
        ci_legacy_secret()
    );
    let gcp_key = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"example-prod\",\n  \"{}\": \"7c3e9a1f5b2d4e8c6a0b9f3d1e7c5a2b4d6f8e0a\",\n  \"private_key\": \"-----BEGIN {} KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDcILEGACYFAKEKEYBODY\\n-----END {} KEY-----\\n\",\n  \"client_email\": \"ci-legacy@example-prod.iam.gserviceaccount.com\",\n  \"client_id\": \"104729583920174638291\"\n}}\n",
        ["private", "key_id"].join("_"),
        "PRIVATE",
        "PRIVATE"
    );
    let workflow = "name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::111122223333:role/ci-legacy-deployer\n          aws-region: us-east-1\n      - run: make deploy\n".to_string();
    let mcp = format!(
        "{{\n  \"mcpServers\": {{\n    \"slack\": {{\n      \"command\": \"slack-mcp\",\n      \"env\": {{\n        \"SLACK_BOT_TOKEN\": \"{}\",\n        \"SLACK_TEAM_ID\": \"T01234567\"\n      }}\n    }}\n  }}\n}}\n",
        slack_token()
    );
    let deploy_bot_env = format!(
        "AWS_ACCESS_KEY_ID={}{}\nAWS_SECRET_ACCESS_KEY={}\n",
        "AKIA",
        "5DEPLOYBOTACCESS",
        deploy_bot_secret()
    );
    let agent_mcp = format!(
        "{{\n  \"mcpServers\": {{\n    \"metrics-agent\": {{\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@winor30/mcp-server-datadog\"],\n      \"env\": {{\n        \"DATADOG_API_KEY\": \"{}\",\n        \"DATADOG_SITE\": \"datadoghq.eu\"\n      }}\n    }}\n  }}\n}}\n",
        metrics_agent_key()
    );
    let fixture = format!(
        "# deprov:allow LEAK001 fake token used by the unit tests of the GitHub client\nGITHUB_TOKEN={}\n",
        fixture_token()
    );
    vec![
        Step {
            time: 1_736_503_200, // 2025-01-10T10:00:00Z
            message: "Add the Jenkins deploy credentials",
            writes: vec![
                (
                    "README.md",
                    "# infra\n\nDeployment configuration of Example Org.\n".into(),
                ),
                ("deploy/aws.env", aws_env),
            ],
            deletes: vec![],
        },
        Step {
            time: 1_738_404_000, // 2025-02-01T10:00:00Z
            message: "Remove the credentials file",
            writes: vec![],
            deletes: vec!["deploy/aws.env"],
        },
        Step {
            time: 1_740_823_200, // 2025-03-01T10:00:00Z
            message: "Add the GCP key of the CI service account",
            writes: vec![("gcp/ci-legacy-key.json", gcp_key)],
            deletes: vec![],
        },
        Step {
            time: 1_748_772_000, // 2025-06-01T10:00:00Z
            message: "Deploy with OIDC",
            writes: vec![(".github/workflows/deploy.yml", workflow)],
            deletes: vec![],
        },
        Step {
            time: 1_756_720_800, // 2025-09-01T10:00:00Z
            message: "Add the payments mesh workload key",
            writes: vec![("mesh/legacy-payments.key", private_key.to_string())],
            deletes: vec![],
        },
        Step {
            time: 1_768_471_200, // 2026-01-15T10:00:00Z
            message: "Configure the Slack MCP server for the ops agent",
            writes: vec![(".cursor/mcp.json", mcp)],
            deletes: vec![],
        },
        Step {
            time: 1_774_000_000, // 2026-03-20T09:46:40Z
            message: "Add deploy-bot credentials and the GitHub client fixture",
            writes: vec![
                ("ops/deploy-bot.env", deploy_bot_env),
                ("tests/fixtures/github.env", fixture),
            ],
            deletes: vec![],
        },
        Step {
            time: 1_775_122_200, // 2026-04-02T09:30:00Z
            message: "Give the metrics agent its Datadog MCP server",
            writes: vec![(".mcp.json", agent_mcp)],
            deletes: vec![],
        },
    ]
}

/// Builds the repository (non-bare, with its working tree) at `dir`; returns the HEAD commit.
/// `private_key` is the PEM of `testdata/repo-fixture/files/legacy-payments.key`.
pub fn build(dir: &Path, private_key: &str) -> Result<Oid, git2::Error> {
    let repo = Repository::init(dir)?;
    let mut parent: Option<Oid> = None;
    for step in steps(private_key) {
        let workdir = repo
            .workdir()
            .ok_or_else(|| git2::Error::from_str("bare"))?
            .to_path_buf();
        for (path, content) in &step.writes {
            let full = workdir.join(path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir).map_err(|e| git2::Error::from_str(&e.to_string()))?;
            }
            std::fs::write(&full, content).map_err(|e| git2::Error::from_str(&e.to_string()))?;
        }
        for path in &step.deletes {
            std::fs::remove_file(workdir.join(path))
                .map_err(|e| git2::Error::from_str(&e.to_string()))?;
        }
        let mut index = repo.index()?;
        index.add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)?;
        index.update_all(["*"].iter(), None)?;
        index.write()?;
        let tree = repo.find_tree(index.write_tree()?)?;
        let signature = Signature::new("Example Dev", "dev@example.com", &Time::new(step.time, 0))?;
        let parents: Vec<git2::Commit> = parent
            .map(|p| repo.find_commit(p))
            .transpose()?
            .into_iter()
            .collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let oid = repo.commit(
            Some("HEAD"),
            &signature,
            &signature,
            step.message,
            &tree,
            &parent_refs,
        )?;
        parent = Some(oid);
    }
    parent.ok_or_else(|| git2::Error::from_str("no commits"))
}
