//! AWS IAM: access keys are deactivated (reversible), then deleted; policies detached, group
//! memberships and inline policies removed; users and roles deleted last, since IAM refuses to
//! delete a principal that still has keys or policies.

use super::{active, kind_text, manual_grant, where_read, Intent, Remedies};
use crate::inventory::{CredentialKind, CredentialRecord, GrantRecord, IdentityRecord};
use crate::runbook::command::{value, word, Command, Program};
use crate::runbook::{Phase, Plan};

pub struct Aws;

const REFERENCE: &str = "https://docs.aws.amazon.com/cli/latest/reference/iam/";
const UPDATE_ACCESS_KEY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/update-access-key.html";
const DELETE_ACCESS_KEY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-access-key.html";
const DELETE_LOGIN_PROFILE: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-login-profile.html";
const SIGNING_CERTIFICATES: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-signing-certificate.html";
const DETACH_USER_POLICY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/detach-user-policy.html";
const DETACH_ROLE_POLICY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/detach-role-policy.html";
const REMOVE_USER_FROM_GROUP: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/remove-user-from-group.html";
const DELETE_USER_POLICY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-user-policy.html";
const DELETE_ROLE_POLICY: &str =
    "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-role-policy.html";
const DELETE_USER: &str = "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-user.html";
const DELETE_ROLE: &str = "https://docs.aws.amazon.com/cli/latest/reference/iam/delete-role.html";
const ROOT_KEYS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html";

/// What an IAM ARN names.
#[derive(Debug, PartialEq, Eq)]
enum Principal<'a> {
    User(&'a str),
    Role(&'a str),
    Root,
    Other,
}

/// `arn:PARTITION:iam::ACCOUNT:user/PATH/NAME` and the like: IAM commands take the last path
/// segment, the name.
fn principal(arn: &str) -> Principal<'_> {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    let name = |rest: &'static str| {
        resource
            .strip_prefix(rest)
            .and_then(|path| path.rsplit('/').next())
            .filter(|name| !name.is_empty())
    };
    if !arn.starts_with("arn:") {
        Principal::Other
    } else if resource == "root" {
        Principal::Root
    } else if let Some(user) = name("user/") {
        Principal::User(user)
    } else if let Some(role) = name("role/") {
        Principal::Role(role)
    } else {
        Principal::Other
    }
}

fn iam(args: &[&'static str]) -> Vec<crate::runbook::command::Arg> {
    std::iter::once("iam")
        .chain(args.iter().copied())
        .map(word)
        .collect()
}

fn command(
    subcommand: &'static str,
    pairs: Vec<(&'static str, crate::runbook::command::Arg)>,
) -> Result<Command, crate::runbook::UnsafeValue> {
    let mut args = iam(&[subcommand]);
    for (flag, arg) in pairs {
        args.push(word(flag));
        args.push(arg);
    }
    Command::new(Program::Aws, args)
}

impl Remedies for Aws {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        match principal(&account.native_id) {
            Principal::User(user) => {
                plan.run(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete IAM user {user}"),
                    command("delete-user", vec![("--user-name", value(user))]),
                    DELETE_USER,
                )
                .caution = Some("IAM refuses while the user still has access keys, a console password, MFA devices, SSH keys, signing certificates, policies or groups: the steps above remove those deprov saw; list the rest with `aws iam list-mfa-devices` and `aws iam list-ssh-public-keys`".into());
            }
            Principal::Role(role) => {
                plan.run(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete IAM role {role}"),
                    command("delete-role", vec![("--role-name", value(role))]),
                    DELETE_ROLE,
                )
                .caution = Some("IAM refuses while the role has attached or inline policies or belongs to an instance profile: remove it from its instance profiles first (`aws iam list-instance-profiles-for-role`)".into());
            }
            Principal::Root => {
                plan.manual(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Review the root user of {}", account.system),
                    "The root user cannot be deleted: sign in as root, remove its access keys and enable MFA.".into(),
                    ROOT_KEYS,
                );
            }
            Principal::Other => {
                plan.manual(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete {}", account.native_id),
                    format!(
                        "Delete {} in IAM ({}).",
                        account.native_id,
                        where_read(&account.evidence)
                    ),
                    REFERENCE,
                );
            }
        }
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let system = &credential.system;
        let user = match principal(&credential.holder) {
            Principal::User(user) => user,
            Principal::Root => {
                plan.manual(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Delete {} {} of the root user", kind_text(credential), credential.id),
                    format!(
                        "Sign in as the root user of {system} and delete {} {} (Security credentials); root credentials cannot be managed through IAM.",
                        kind_text(credential),
                        credential.id
                    ),
                    ROOT_KEYS,
                );
                return;
            }
            Principal::Role(_) | Principal::Other => {
                plan.manual(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Delete {} {}", kind_text(credential), credential.id),
                    format!(
                        "Delete {} {} of {} ({}).",
                        kind_text(credential),
                        credential.id,
                        credential.holder,
                        where_read(&credential.evidence)
                    ),
                    REFERENCE,
                );
                return;
            }
        };
        match credential.kind {
            // A credential-report slot without its key ID (`ARN#access_key_1`).
            CredentialKind::AccessKey if credential.id.contains('#') => {
                plan.manual(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Deactivate and delete {} of IAM user {user}", credential.id),
                    format!(
                        "The export numbers this access key without its ID ({}): list the keys of IAM user {user} (aws iam list-access-keys), then deactivate (aws iam update-access-key --status Inactive) and delete (aws iam delete-access-key) the one in that slot.",
                        where_read(&credential.evidence)
                    ),
                    DELETE_ACCESS_KEY,
                );
            }
            CredentialKind::AccessKey => {
                if active(credential) {
                    plan.run(
                        intent.phase(Phase::Disable),
                        system,
                        format!("Deactivate access key {} of IAM user {user}", credential.id),
                        command(
                            "update-access-key",
                            vec![
                                ("--user-name", value(user)),
                                ("--access-key-id", value(&credential.id)),
                                ("--status", word("Inactive")),
                            ],
                        ),
                        UPDATE_ACCESS_KEY,
                    )
                    .caution = Some("undo with `--status Active` if something breaks".into());
                }
                plan.run(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Delete access key {} of IAM user {user}", credential.id),
                    command(
                        "delete-access-key",
                        vec![
                            ("--user-name", value(user)),
                            ("--access-key-id", value(&credential.id)),
                        ],
                    ),
                    DELETE_ACCESS_KEY,
                );
            }
            CredentialKind::Password => {
                plan.run(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Delete the console password of IAM user {user}"),
                    command("delete-login-profile", vec![("--user-name", value(user))]),
                    DELETE_LOGIN_PROFILE,
                );
            }
            _ => {
                // The credential report numbers signing certificates; their IDs are not in it.
                plan.manual(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Delete {} of IAM user {user}", kind_text(credential)),
                    format!(
                        "List the signing certificates of IAM user {user} (aws iam list-signing-certificates), then deactivate and delete the one the export shows as {} ({}).",
                        credential.id,
                        where_read(&credential.evidence)
                    ),
                    SIGNING_CERTIFICATES,
                );
            }
        }
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        let system = &grant.system;
        let holder = principal(&grant.holder);
        let (kind, name) = grant.privilege.split_once(':').unwrap_or_default();
        match (holder, kind) {
            (Principal::User(user), "policy") => {
                plan.run(
                    Phase::RemoveGrants,
                    system,
                    format!("Detach policy {name} from IAM user {user}"),
                    command(
                        "detach-user-policy",
                        vec![("--user-name", value(user)), ("--policy-arn", value(name))],
                    ),
                    DETACH_USER_POLICY,
                );
            }
            (Principal::Role(role), "policy") => {
                plan.run(
                    Phase::RemoveGrants,
                    system,
                    format!("Detach policy {name} from IAM role {role}"),
                    command(
                        "detach-role-policy",
                        vec![("--role-name", value(role)), ("--policy-arn", value(name))],
                    ),
                    DETACH_ROLE_POLICY,
                );
            }
            (Principal::User(user), "group") => {
                plan.run(
                    Phase::RemoveGrants,
                    system,
                    format!("Remove IAM user {user} from group {name}"),
                    command(
                        "remove-user-from-group",
                        vec![("--user-name", value(user)), ("--group-name", value(name))],
                    ),
                    REMOVE_USER_FROM_GROUP,
                );
            }
            (Principal::User(user), "inline-policy") => {
                plan.run(
                    Phase::RemoveGrants,
                    system,
                    format!("Delete inline policy {name} of IAM user {user}"),
                    command(
                        "delete-user-policy",
                        vec![("--user-name", value(user)), ("--policy-name", value(name))],
                    ),
                    DELETE_USER_POLICY,
                );
            }
            (Principal::Role(role), "inline-policy") => {
                plan.run(
                    Phase::RemoveGrants,
                    system,
                    format!("Delete inline policy {name} of IAM role {role}"),
                    command(
                        "delete-role-policy",
                        vec![("--role-name", value(role)), ("--policy-name", value(name))],
                    ),
                    DELETE_ROLE_POLICY,
                );
            }
            _ => manual_grant(plan, grant, REFERENCE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_are_named_by_the_last_path_segment() {
        assert_eq!(
            principal("arn:aws:iam::111122223333:user/ci/ci-legacy"),
            Principal::User("ci-legacy")
        );
        assert_eq!(
            principal("arn:aws-cn:iam::111122223333:role/deployer"),
            Principal::Role("deployer")
        );
        assert_eq!(principal("arn:aws:iam::111122223333:root"), Principal::Root);
        assert_eq!(principal("arn:aws:iam::1:user/"), Principal::Other);
        assert_eq!(principal("ci-legacy"), Principal::Other);
    }
}
