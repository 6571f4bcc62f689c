//! The secret detectors: every detector's own examples, private keys matched to their
//! certificates, agent configurations, allow comments, hostile input, and proof that no secret
//! value (nor any 8 characters of one) reaches a match.
//!
//! Test tokens are assembled at run time from pieces (`piece!`), so that this file holds no
//! token in the shape a scanner looks for.

mod common;

use deprov::diagnostic::FileDiagnostic;
use std::path::PathBuf;

use deprov::sources::exposure::secrets::{
    DetectorError, DetectorSet, Disclosure, SecretMatch, WithheldReason,
};

/// Joins its arguments: a token split so that its prefix never appears whole in the source.
macro_rules! piece {
    ($($part:expr),+ $(,)?) => { [$($part),+].concat() };
}

fn builtin() -> DetectorSet {
    DetectorSet::builtin().unwrap()
}

fn detectors_of(matches: &[SecretMatch]) -> Vec<&str> {
    matches.iter().map(|m| m.detector.as_str()).collect()
}

/// PEM armour around `body`.
fn pem(label: &str, body: &str) -> String {
    let kind = if label.is_empty() {
        String::new()
    } else {
        format!("{label} ")
    };
    format!(
        "{}{kind}{}\n{body}\n{}{kind}{}\n",
        piece!("-----BEGIN", " "),
        piece!("PRIVATE", " KEY-----"),
        piece!("-----END", " "),
        piece!("PRIVATE", " KEY-----")
    )
}

#[test]
fn every_detector_passes_its_examples() {
    let set = builtin();
    let failures = set.failing_examples();
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_detector_has_positive_and_negative_examples() {
    let set = builtin();
    let ids: Vec<&str> = set.ids().collect();
    assert!(ids.len() >= 20, "{ids:?}");
    for id in &ids {
        let Some(_) = set.description(id) else {
            panic!("{id} has no description");
        };
    }
    for id in ids
        .iter()
        .filter(|id| !set.examples(id).is_empty() || !id.ends_with("-reference"))
    {
        let examples = set.examples(id);
        assert!(
            examples.iter().any(|e| e.matches.is_some()),
            "{id} has no positive example"
        );
        assert!(
            examples.iter().any(|e| e.no_match.is_some()),
            "{id} has no negative example"
        );
    }
    // The `alone` ID is exercised by its detector's examples.
    let aws = set.examples("aws-access-key");
    assert!(aws
        .iter()
        .any(|e| e.detector.as_deref() == Some("aws-access-key-id-reference")));
}

#[test]
fn the_issue_detector_list_is_covered() {
    let set = builtin();
    let ids: Vec<&str> = set.ids().collect();
    for id in [
        "aws-access-key",
        "aws-access-key-id-reference",
        "aws-secret-access-key",
        "gcp-service-account-key",
        "private-key",
        "github-classic-token",
        "github-fine-grained-token",
        "github-app-token",
        "github-oauth-token",
        "github-refresh-token",
        "gitlab-token",
        "slack-token",
        "slack-webhook",
        "stripe-secret-key",
        "stripe-restricted-key",
        "azure-client-secret",
        "vault-token",
        "vault-legacy-token",
        "vault-approle-secret-id",
        "jwt",
        "url-credentials",
        "generic-secret-assignment",
        "mcp-server-credential",
        "dotenv-credential",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

/// The catalog, this file and the module's sources hold no token a detector finds.
#[test]
fn the_repository_own_files_hold_no_secret() {
    let set = builtin();
    let root = common::root();
    let mut files = vec![
        root.join("rules/secrets.yaml"),
        root.join("tests/secrets.rs"),
        root.join("benches/secrets.rs"),
    ];
    for entry in walkdir::WalkDir::new(root.join("src/sources/exposure")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    assert!(files.len() > 10, "the exposure sources moved: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let found = set.scan(&file.display().to_string(), &bytes);
        assert!(found.is_empty(), "{}: {found:#?}", file.display());
    }
}

/// One planted secret of every kind: its value, and the detector that must find it.
fn planted() -> Vec<(&'static str, String, String)> {
    let aws_secret = piece!("wkEJ3PEVVIPcP4Y7", "p4tD14z4gzM/jppZxO4z7Kdc");
    let jwt = piece!(
        "ey", "JhbGciOiJSUzI1NiIsImtpZCI6ImNpIn0.",
        "eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmNpOmRlcGxveWVyIn0.",
        "UcmhwdDk4vJ_CsJ63cBGiDTZJTPCoc0xkQyiN6Ig-lJ"
    );
    let lone_aws_secret = piece!("Zq81nXcV0b/LpT5", "mWr7Ks2YdHg9Ej4Fa6Uo3Qi+w");
    let gcp_key_body = "EJhjjba9qDASY+7DUWil1MfX8PvU66MDPr8/DbIayeBV11DFh7NYfkT8g6MdzHz7";
    let key_body = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaIhFHGxwMOySIwFJ\n+RGj3h3XEcerDH7OlpJi1lbQ1TGhRANCAAR4KG+BLYTDHdqEbCtCNI0iztYYY146\n0vTcJIMYcbTuyq7e1qekoXTwsqQhIIhQhINN9xRnCO/vKJzdG9sS9Vnh";
    vec![
        ("aws-access-key", aws_secret.clone(), format!("aws_access_key_id = {}\naws_secret_access_key = {aws_secret}\n", piece!("AK", "IAAU4PCZL6HT4DTCBS"))),
        ("private-key", key_body.replace('\n', ""), pem("", key_body)),
        ("github-classic-token", piece!("gh", "p_2iQnfEf3V1oCW35xwEeVxaZhRJqcax2nGrYM"), String::new()),
        ("github-fine-grained-token", piece!("github", "_pat_E5tWrXaxztNFRl89ODivV4_Q88bw9ykwS2v6km97eVQArzOzCx2NEv3Np3BGthcxOq6csRHpYntCcxkgRJ"), String::new()),
        ("github-app-token", piece!("gh", "s_Bj3OIgKfdvGHnaZoxd38PqaMtn5C3FxaL7kZ"), String::new()),
        ("github-oauth-token", piece!("gh", "o_N1tXxsE8aEmQiLy2Nm5pffIjANSTY44OjbIk"), String::new()),
        ("github-refresh-token", piece!("gh", "r_juPqNcUOkQGyczoIGvwfLO0agF1rtE3jSYc1JZ8b6jd1cDE1GsmZg2YoDLJwwoMoxKgUYk32MWER"), String::new()),
        ("gitlab-token", piece!("glp", "at-MBE25UheeiLGsZqGuzN8"), String::new()),
        ("slack-token", piece!("xo", "xb-283749105528-4928374655102-PWywWGLHm65TyzXLebxvTRf4"), String::new()),
        ("slack-webhook", "T04KQ8Z2J/B05M3N7R1/w0Y1Q8oyiaijAdbd7mluWBtD".to_string(), format!("hook: {}T04KQ8Z2J/B05M3N7R1/w0Y1Q8oyiaijAdbd7mluWBtD\n", piece!("https://hooks.sl", "ack.com/services/"))),
        ("stripe-secret-key", piece!("sk_li", "ve_ELJtPjh1TlAQxUlbAeYFAb9A"), String::new()),
        ("stripe-restricted-key", piece!("rk_li", "ve_VWhKHrB7c94qR0D3Qwrxmnaq"), String::new()),
        ("openai-api-key", piece!("sk-proj-9SyLj3iMQ-Td2MhxSAjyT3Blb", "kFJHNaXObwJ6JRBCAYWtdzY"), String::new()),
        ("anthropic-api-key", piece!("sk-an", "t-api03-dunJWQKjB6qQDvwq-c29IUgWoqgifXOBvVMXFxO5W9rSYzVsBE0lzkiHfvbbb4ZA1lf2kd0Ee1mztvh2yfHJ6_sLe9GT9"), String::new()),
        ("npm-token", piece!("np", "m_m9UhNQfVeSo0sbhP2F9dDkrsSt0x1r3CUpqh"), String::new()),
        ("aws-kms-ciphertext", piece!("AQIC", "AHiQA8VFQJ+N0kUupIFRZOL/ESMM4PM7MOMDhmXaBLWifHwRRnt1hCAKqXT96wo0jW7pAAAASDBGBgkqhkiG9w0BBwagLhSgqn9EXmaENC+OcIiYR8giuWsKJv0kE/rFOUekIR861DCNOavH5FqCXcX72vZJfEb062G28iGv7g=="), String::new()),
        ("discord-webhook", "riP8r9YMeaZ09gfFG-wR0IYswkc4rZAHeFaYutCCKPtA5nJznZ-wzE3P-5-QYaBkKEjX".to_string(), format!("{}1066583979384525858/riP8r9YMeaZ09gfFG-wR0IYswkc4rZAHeFaYutCCKPtA5nJznZ-wzE3P-5-QYaBkKEjX\n", piece!("https://disc", "ord.com/api/webhooks/"))),
        ("google-api-key", piece!("AI", "zalKzCoUlbp1O0CSpi_2ZqTur49j_3mOBR299"), String::new()),
        ("pypi-upload-token", piece!("pypi", "-AgEIcHlwaS5vcmcCJGMzNzYyMmUxLTUwMWItMzhkNy03NTZiLWFiNzdmZDNiMDhhOAACJXsidmVyc2lvbiI6IDEsICJwZXJtaXNzaW9ucyI6ICJ1c2VyIn0AAAYgPxaoes03lMrAJkCwTVqzrWzgkJMPnSRtyfkHhluR2MU"), String::new()),
        ("sendgrid-api-key", piece!("S", "G.Lm5Qe5w30VsQ2EFH17-JAA.TJuVpsFTwn7aExULSE7UJuOq1dko34mqvJ5lGepG1C2"), String::new()),
        ("atlassian-api-token", piece!("ATA", "TT3SMv4S5-uAi5goON2FcMPnfKEANYCdQ_74mJfOF1eDyiTZ2MzO_uBk0I76Kfbsv1LEt16_7gcOy3_KYg42EvGRC1dD9oqvXFer0MBWsvR9TL5bpDvlUGSLH5fBhxDtSkF9rNKDjUMYv7mgnZxTy8ol6yubHaoN3O_oLf4thrckBZWPh9Yz=64FD2D65"), String::new()),
        ("shopify-token", piece!("shp", "at_0a03471b8d9c677f3200bb858ea67965"), String::new()),
        ("databricks-token", piece!("da", "pi3803f20b8ab2eea7e744800c2fb3f2fb"), String::new()),
        ("huggingface-token", piece!("h", "f_cPSMYNTTCUmSqjtUTXWkbaqWufvglZStOm"), String::new()),
        ("digitalocean-token", piece!("do", "p_v1_d45b88e28215f32214f1f04301fc60bc473e8358c8605e898fefbf783ae3c6f6"), String::new()),
        ("doppler-token", piece!("dp", ".pt.i30GJTibmn2QA6yNVXyulgiZLuCPdw5fCoEAeBHY0xO"), String::new()),
        ("heroku-api-key", piece!("HR", "KU-AAPgY2Kl8o_pkthuUTuDutfqdqH2wzE6GYAgTM7xm738LwD_oXI0LwRHQhJU"), String::new()),
        ("twilio-api-key", piece!("SKe115", "f611253bcefaee359af47df569b6"), format!("{}={}\n", piece!("TWI", "LIO_API_KEY"), piece!("SKe115", "f611253bcefaee359af47df569b6"))),
        ("mailgun-api-key", piece!("bae404", "0677e420987641c75ec346ba90-7e8335bb-6962cd9f"), format!("{}={}\n", piece!("MAIL", "GUN_API_KEY"), piece!("bae404", "0677e420987641c75ec346ba90-7e8335bb-6962cd9f"))),
        ("azure-storage-connection-string", piece!("xMfle61+q9wb6OtIadktKDX14O5zF4a8AyDKjmH4", "VphZR3VfqXHFm/yZ5OVkP14UbHABXdjhF/JklcL4xPYDpQ=="), format!("{}={}\n", piece!("DefaultEndpointsProtocol=https;AccountName=stbillingprod01;Account", "Key"), piece!("xMfle61+q9wb6OtIadktKDX14O5zF4a8AyDKjmH4", "VphZR3VfqXHFm/yZ5OVkP14UbHABXdjhF/JklcL4xPYDpQ=="))),
        ("azure-storage-account-key", piece!("Ny5XM4tCd/RMdmpzFD5xaHqrZd+WNCqXPifXGiAQ", "x7f277v6qejgEYfgG0Q38kGXxbHN7s7HK+3T3vIaJKVqWA=="), format!("{}={}\n", piece!("AZURE_STORAGE_ACCOUNT", "_KEY"), piece!("Ny5XM4tCd/RMdmpzFD5xaHqrZd+WNCqXPifXGiAQ", "x7f277v6qejgEYfgG0Q38kGXxbHN7s7HK+3T3vIaJKVqWA=="))),
        ("azure-client-secret", piece!("iYb8Q", "~XghYA_9RNTvGU~cqNGTIgk0z1H.mU9I"), String::new()),
        ("vault-token", piece!("hv", "s.cZooj1dDBdVVZ5kloXPFh3QeR9PtoejZHnfaZ5GrHuTE0jd0j8My4oy1OILnCw0Nkr9WoMUssLZ2shr3zJRrsBHX0P"), String::new()),
        ("vault-legacy-token", piece!("s.", "Fh0R1miCXW2D4hqvZHN9y0ci"), format!("{}={}\n", piece!("VAU", "LT_TOKEN"), piece!("s.", "Fh0R1miCXW2D4hqvZHN9y0ci"))),
        ("vault-approle-secret-id", "1e4e7d41-9fff-4ce8-ad92-fac32e1f3119".to_string(), format!("{}: 1e4e7d41-9fff-4ce8-ad92-fac32e1f3119\n", piece!("secret", "_id"))),
        ("jwt", jwt, String::new()),
        ("url-credentials", "1H5c95iomeivfD".to_string(), format!("{}//billing:1H5c95iomeivfD@db.internal/billing\n", piece!("postgres", ":"))),
        ("generic-secret-assignment", "w1zcSEIGKxEPDIfSON".to_string(), format!("{} = \"w1zcSEIGKxEPDIfSON\"\n", piece!("db_pass", "word"))),
        ("gcp-service-account-key", gcp_key_body.to_string(), format!(
            "{{\"type\": \"service_account\", \"{}\": \"52a38b8dd277bdef11357f8a30d7761a1100ff31\", \"private_key\": \"{}\\n{gcp_key_body}\\n{}\\n\", \"client_email\": \"ci@p1.iam.gserviceaccount.com\"}}\n",
            piece!("private_", "key_id"),
            piece!("-----BEGIN PRIVATE", " KEY-----"),
            piece!("-----END PRIVATE", " KEY-----"),
        )),
        // Last, far from the key ID above: a secret access key by itself.
        ("aws-secret-access-key", lone_aws_secret.clone(), format!("{}={lone_aws_secret}\n", piece!("AWS_SECRET_ACCESS", "_KEY"))),
    ]
    .into_iter()
    .map(|(detector, secret, text)| {
        let text = if text.is_empty() { format!("value: {secret}\n") } else { text };
        (detector, secret, text)
    })
    .collect()
}

#[test]
fn planted_secrets_are_found_and_never_leak_into_matches() {
    let set = builtin();
    let planted = planted();
    let mut text = String::from("# planted secrets of every kind\n");
    for (_, _, snippet) in &planted {
        text.push_str(snippet);
        text.push_str("\nfiller line\n");
    }
    let mut mcp = String::new();
    mcp.push_str(&format!(
        "{{\"mcpServers\": {{\"acme\": {{\"env\": {{\"{}\": \"vhUGZSBEIMiJI51WbVrk\"}}}}}}}}",
        piece!("ACME_AU", "TH")
    ));
    let dotenv = format!("{}=vhUGZSBEIMiJI51WbVrk2\n", piece!("DEPLOY_AU", "TH"));

    let mut found = set.scan("planted.txt", text.as_bytes());
    let agent = set.scan("claude_desktop_config.json", mcp.as_bytes());
    let env = set.scan(".env", dotenv.as_bytes());
    assert_eq!(detectors_of(&agent), ["mcp-server-credential"]);
    assert_eq!(detectors_of(&env), ["dotenv-credential"]);
    found.extend(agent);
    found.extend(env);

    let detectors = detectors_of(&found);
    for (detector, _, _) in &planted {
        assert!(
            detectors.contains(detector),
            "{detector} not found in {detectors:?}"
        );
    }
    let debug = format!("{found:?}{found:#?}");
    let mut secrets: Vec<String> = planted
        .iter()
        .map(|(_, secret, _)| secret.clone())
        .collect();
    secrets.push("vhUGZSBEIMiJI51WbVrk".into());
    for secret in &secrets {
        assert!(!debug.contains(secret.as_str()), "a secret leaked");
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(8) {
            let fragment: String = window.iter().collect();
            assert!(
                !debug.contains(&fragment),
                "8 characters of a secret leaked: {fragment}"
            );
        }
    }
    const PASSWORD_CLASS: &[&str] = &[
        "url-credentials",
        "generic-secret-assignment",
        "dotenv-credential",
        "mcp-server-credential",
    ];
    for m in &found {
        assert_eq!(m.secret_sha256.len(), 64);
        assert!(m
            .secret_sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        match &m.disclosure {
            Disclosure::Preview(preview) => {
                assert!(
                    !PASSWORD_CLASS.contains(&m.detector.as_str()),
                    "{} shows a preview",
                    m.detector
                );
                assert!(
                    preview.ends_with('…') && preview.chars().count() <= 5,
                    "{preview}"
                );
            }
            Disclosure::Withheld(withheld) => {
                // Every planted token has far more than 64 bits: only passwords are withheld.
                assert!(PASSWORD_CLASS.contains(&m.detector.as_str()), "{m:?}");
                assert_eq!(withheld.reason, WithheldReason::PasswordClass);
                assert_eq!(withheld.hmac_sha256, None, "no key was configured");
            }
        }
    }
}

#[test]
fn an_aws_pair_is_one_match_carrying_the_key_id() {
    let set = builtin();
    let key_id = piece!("AK", "IAAU4PCZL6HT4DTCBS");
    let secret = piece!("wkEJ3PEVVIPcP4Y7", "p4tD14z4gzM/jppZxO4z7Kdc");
    let text = format!("[ci]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n");
    let found = set.scan("credentials", text.as_bytes());
    assert_eq!(found.len(), 1, "{found:#?}");
    let pair = &found[0];
    assert_eq!(pair.detector, "aws-access-key");
    assert_eq!(pair.line, 2);
    assert_eq!(pair.carries, vec![key_id.clone()]);
    assert_eq!(pair.secret_sha256, sha256_hex(secret.as_bytes()));
    assert_eq!(pair.disclosure, Disclosure::Preview("wkEJ…".into()));

    let alone = set.scan(
        "deploy.tf",
        format!("# key {key_id} belongs to ci\n").as_bytes(),
    );
    assert_eq!(detectors_of(&alone), ["aws-access-key-id-reference"]);
    assert_eq!(alone[0].secret_sha256, sha256_hex(key_id.as_bytes()));
    assert_eq!(alone[0].carries, vec![key_id]);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn a_gcp_key_file_carries_its_key_id_email_and_public_key() {
    let set = builtin();
    let key = std::fs::read_to_string(common::testdata("repo-fixture/files/legacy-payments.key"))
        .unwrap();
    let escaped = key.replace('\n', "\\n");
    let file = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"p1\",\n  \"{}\": \"52a38b8dd277bdef11357f8a30d7761a1100ff31\",\n  \"private_key\": \"{escaped}\",\n  \"client_email\": \"ci@p1.iam.gserviceaccount.com\"\n}}\n",
        piece!("private_", "key_id")
    );
    let found = set.scan("key.json", file.as_bytes());
    assert_eq!(
        detectors_of(&found),
        ["gcp-service-account-key"],
        "{found:#?}"
    );
    let m = &found[0];
    assert_eq!(m.line, 4);
    assert_eq!(
        &m.carries[..2],
        [
            "52a38b8dd277bdef11357f8a30d7761a1100ff31",
            "ci@p1.iam.gserviceaccount.com"
        ]
    );
    assert!(m.carries[2].starts_with("spki-sha256:"), "{:?}", m.carries);
    // The same key as a PEM file has the same hash.
    let pem = set.scan("legacy.key", key.as_bytes());
    assert_eq!(pem[0].secret_sha256, m.secret_sha256);
}

#[test]
fn the_example_org_private_key_matches_its_certificate() {
    let set = builtin();
    let key = std::fs::read(common::testdata("repo-fixture/files/legacy-payments.key")).unwrap();
    let bundle =
        std::fs::read(common::testdata("example-org/certs/mesh/trust-bundle.pem")).unwrap();
    let blocks = deprov::x509::pem_blocks(&bundle);
    let cert = deprov::x509::certificate_facts(blocks[1].contents.as_ref().unwrap()).unwrap();
    let found = set.scan("files/legacy-payments.key", &key);
    assert_eq!(detectors_of(&found), ["private-key"]);
    assert_eq!(found[0].line, 1);
    assert_eq!(
        found[0].carries,
        vec![format!("spki-sha256:{}", cert.spki_sha256)]
    );
    assert!(
        found[0].description.contains("EC, PKCS#8"),
        "{}",
        found[0].description
    );
}

/// Keys and certificates made with `openssl` and `ssh-keygen` for this test (throwaway, never
/// used anywhere; bodies only, the armour is added at run time): each key's fingerprint must
/// equal its certificate's SPKI fingerprint, or the `ssh-keygen -lf` SHA-256 of its public key.
mod key_pairs {
    use super::*;

    const RSA_PKCS1_BODY: &str = "\
MIICXgIBAAKBgQDQ0tGekSOjdqMZxc8lgrMihAIXNs0JaYfh8kC1HXag2H4bnVmd\n\
/9aS+op/MFt2SlDhk6ftPtXopwezNndK+97+AM4HgyLpR86OZi3gxit3POunY9D8\n\
Lzcvvs0JYCbsEDpLLHh0aRb6sPZfwK6K4HE2JOnfJc5+TBpYOzBfUpTZ3QIDAQAB\n\
AoGAMAmPNw7kR+IuuusKL/LVCoebg4OTvyqLm6qCwCc69t1WhTu5NeN4lO8VlRSm\n\
tZt656lz49ukkZR67PsGjjVKonDdNAtKpdNpEO47LsfPu3OEkqGuzvKo6+KMraZD\n\
3Ji6rXj/Zwzmh//4cGuTbmst91w1nws0IVwUfUn8CMfKQIECQQD/cS5nJJ3LFgDW\n\
5HvzgLNyTXtPYYwCoStLZMry3PQxZRzVSKDPkGJf8ypPlmRE1dTrFsYcKkTEq+9a\n\
RYZZjHEVAkEA0UeSqlAwwjl20U4y/CAC+N9ow6amAwUHCnUT7OPDoMONO936pmd4\n\
n0B33qfor6M3NnrPqtXvN9zUFhQHkhQnqQJBAJZZWcSfyrh0NP5G8aX7RKOscz3f\n\
3nbVwhPYOZQE9T31k6j93JkPFLgA+hBqJo5VhcLxXp3JSzyvLmxlq5Qdk5kCQQCK\n\
ISt0rikAiN0bmPmd36MWkJ6dREkehRr4k/3qxQpB+dAmS4U8f97lfa+gjkLOanPu\n\
yXB32Wxi+qYhTGcSy6rBAkEA77aZfbkVBWqu1PXClH5ptDVfcKma3PGE3DcQm8e/\n\
bSBaf2eqpz5t0qIMY3cDY7qwa7YYSxeKOfkH/a20XJoCSQ==";
    const RSA_PKCS8_BODY: &str = "\
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBANDS0Z6RI6N2oxnF\n\
zyWCsyKEAhc2zQlph+HyQLUddqDYfhudWZ3/1pL6in8wW3ZKUOGTp+0+1einB7M2\n\
d0r73v4AzgeDIulHzo5mLeDGK3c866dj0PwvNy++zQlgJuwQOksseHRpFvqw9l/A\n\
rorgcTYk6d8lzn5MGlg7MF9SlNndAgMBAAECgYAwCY83DuRH4i666wov8tUKh5uD\n\
g5O/KoubqoLAJzr23VaFO7k143iU7xWVFKa1m3rnqXPj26SRlHrs+waONUqicN00\n\
C0ql02kQ7jsux8+7c4SSoa7O8qjr4oytpkPcmLqteP9nDOaH//hwa5Nuay33XDWf\n\
CzQhXBR9SfwIx8pAgQJBAP9xLmckncsWANbke/OAs3JNe09hjAKhK0tkyvLc9DFl\n\
HNVIoM+QYl/zKk+WZETV1OsWxhwqRMSr71pFhlmMcRUCQQDRR5KqUDDCOXbRTjL8\n\
IAL432jDpqYDBQcKdRPs48Ogw4073fqmZ3ifQHfep+ivozc2es+q1e833NQWFAeS\n\
FCepAkEAlllZxJ/KuHQ0/kbxpftEo6xzPd/edtXCE9g5lAT1PfWTqP3cmQ8UuAD6\n\
EGomjlWFwvFenclLPK8ubGWrlB2TmQJBAIohK3SuKQCI3RuY+Z3foxaQnp1ESR6F\n\
GviT/erFCkH50CZLhTx/3uV9r6COQs5qc+7JcHfZbGL6piFMZxLLqsECQQDvtpl9\n\
uRUFaq7U9cKUfmm0NV9wqZrc8YTcNxCbx79tIFp/Z6qnPm3SogxjdwNjurBrthhL\n\
F4o5+Qf9rbRcmgJJ";
    const RSA_CERT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIICAjCCAWugAwIBAgIUWLFJqx15KfjM5dv84v5jADiSrSAwDQYJKoZIhvcNAQEL\n\
BQAwEzERMA8GA1UEAwwIcnNhLnRlc3QwHhcNMjYxMTI1MTkxOTE5WhcNMjYxMTI2\n\
MTkxOTE5WjATMREwDwYDVQQDDAhyc2EudGVzdDCBnzANBgkqhkiG9w0BAQEFAAOB\n\
jQAwgYkCgYEA0NLRnpEjo3ajGcXPJYKzIoQCFzbNCWmH4fJAtR12oNh+G51Znf/W\n\
kvqKfzBbdkpQ4ZOn7T7V6KcHszZ3Svve/gDOB4Mi6UfOjmYt4MYrdzzrp2PQ/C83\n\
L77NCWAm7BA6Syx4dGkW+rD2X8CuiuBxNiTp3yXOfkwaWDswX1KU2d0CAwEAAaNT\n\
MFEwHQYDVR0OBBYEFMlzJNN1qtKCZNW6hHJOQM22l1RHMB8GA1UdIwQYMBaAFMlz\n\
JNN1qtKCZNW6hHJOQM22l1RHMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQEL\n\
BQADgYEAjgBGUMBfCjyGWQJLdL3xi2H1W0KO0x2N0W8r7zKDsr1cGShb5YjbtiPI\n\
5G1g77lXnRiHPDsk1lUtweATomE1sbLmy2ZbdmFRreL2HF9eqboD0U2dfViMclfg\n\
Uh97puZBUeRDHZMCEuogwY+NHUdc9VlFMsrbeyQXEuwr7QrDxyI=\n\
-----END CERTIFICATE-----";
    const EC_SEC1_BODY: &str = "\
MHcCAQEEINsQAD6rQ/RcDBliB9rDGnPX3kpRfA3nRmIX4AB5z3mqoAoGCCqGSM49\n\
AwEHoUQDQgAEIYo6G7kCspmP9svZjZUzuSHkaRQOq3cXYZZXJA9OqgsMbwb+E+P0\n\
dEVWIZU+b03oEKPrBDQxdUM8GvdVJBlQ2w==";
    const EC_SEC1_NO_PUBLIC_BODY: &str = "\
MDECAQEEINsQAD6rQ/RcDBliB9rDGnPX3kpRfA3nRmIX4AB5z3mqoAoGCCqGSM49\n\
AwEH";
    const EC_P384_PKCS8_NO_PUBLIC_BODY: &str = "\
ME4CAQAwEAYHKoZIzj0CAQYFK4EEACIENzA1AgEBBDC+84/qaC9Vp7RMMUBRSZ70\n\
26gIS8NB1B/+sQyqXPEz0yG8If7MkPzjz4jrVQrXjhc=";
    const EC_CERT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBejCCAR+gAwIBAgIUPNp1oUAK6ZgRO9VA0Px6fl22hjYwCgYIKoZIzj0EAwIw\n\
EjEQMA4GA1UEAwwHZWMudGVzdDAeFw0yNjExMjUxOTE5MTlaFw0yNjExMjYxOTE5\n\
MTlaMBIxEDAOBgNVBAMMB2VjLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC\n\
AAQhijobuQKymY/2y9mNlTO5IeRpFA6rdxdhllckD06qCwxvBv4T4/R0RVYhlT5v\n\
TegQo+sENDF1Qzwa91UkGVDbo1MwUTAdBgNVHQ4EFgQUCSJK0X7tUDRdqXQUwHgD\n\
9Ca8vswwHwYDVR0jBBgwFoAUCSJK0X7tUDRdqXQUwHgD9Ca8vswwDwYDVR0TAQH/\n\
BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAt0vR8S9rm6eYWu6qUFbOZZUuIDT4\n\
fa9/UsGZatcjg54CIQCs/q7Qvb3xmWxQaouPygmufI6rewYjDzBW0qSdhCP2QA==\n\
-----END CERTIFICATE-----";
    const EC_P384_CERT: &str = "\
-----BEGIN CERTIFICATE-----\n\
MIIBvDCCAUKgAwIBAgIUWI+1zG75AcuMygcYBXbCHYq9CpwwCgYIKoZIzj0EAwIw\n\
FTETMBEGA1UEAwwKZWMzODQudGVzdDAeFw0yNjExMjUxOTE5MTlaFw0yNjExMjYx\n\
OTE5MTlaMBUxEzARBgNVBAMMCmVjMzg0LnRlc3QwdjAQBgcqhkjOPQIBBgUrgQQA\n\
IgNiAASm5HuuIw6mSQ63I590nuSTaClPtOgepvC6mxq1EWHsOzI1olNKQUkOrDdR\n\
215zaI2cnMn/xeLlNOm019dZfCdU7EcRj547lvYxnlCNuIQ4S5OBAh98FRGNKvIB\n\
ITNLyOqjUzBRMB0GA1UdDgQWBBSTzq6tWXByRjOVpBW7CTWCcBzDPTAfBgNVHSME\n\
GDAWgBSTzq6tWXByRjOVpBW7CTWCcBzDPTAPBgNVHRMBAf8EBTADAQH/MAoGCCqG\n\
SM49BAMCA2gAMGUCMCiaQ2KgfT/m7QmlLK7n+vI8WRsVPHxmnOm1jJJn+HHKXjSH\n\
ppTIjpjL+F0gBBtgNwIxAM7+TqVfgs6BwK9GHHrLVHaBods102OWt2nmo864JrJZ\n\
4cOv7BgWC7zxNtfhFLYPXw==\n\
-----END CERTIFICATE-----";
    const OPENSSH_ED25519_BODY: &str = "\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
QyNTUxOQAAACDSToFB/uu+JGeWCNM77bozs0M/4PB7ReGzmAoIlRFjyAAAAIjPjkehz45H\n\
oQAAAAtzc2gtZWQyNTUxOQAAACDSToFB/uu+JGeWCNM77bozs0M/4PB7ReGzmAoIlRFjyA\n\
AAAEA+Vgc5zH+CF6/rscv9giOKQrVSSwgskQ//JWMg5AkcQ9JOgUH+674kZ5YI0zvtujOz\n\
Qz/g8HtF4bOYCgiVEWPIAAAAAAECAwQF";
    const OPENSSH_ED25519_PUB: &str = "\
ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJOgUH+674kZ5YI0zvtujOzQz/g8HtF4bOYCgiVEWPI";
    const OPENSSH_RSA_ENCRYPTED_BODY: &str = "\
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABB488Hdsf\n\
KfkyrsQo89GDoHAAAAEAAAAAEAAACXAAAAB3NzaC1yc2EAAAADAQABAAAAgQDWZzGw8+6G\n\
4pKjH6Xdr1YgGofR+YaQrlB+pwZmeXndCytf4CJHM1LkJSiYdFUQHUM31t19SFCGORC2Kj\n\
7bLSHQnQvOCUkIysl9iLCo1ntArfAPXLNbdqcnsvEPY0MM6hEQSA5I+guG7VcaeVII4OFp\n\
OQlWjWCkEyOAA+ilSF+x4wAAAgDBfPI4GzNNNbTfTeY5tPdTFtljX5C+BUYUaYFqyGHFTx\n\
WJAQDo/+uoQWpoKRM9UFhJNSV2w9VskQ8lNw0UPUCC/x6omIf76FotLeD+YdWW3DaVmfdP\n\
h+pfkA9Kqp/Iird1eTikDyjChBN6p0/Ey4dWZwc0EyiqsIUDj9MPZWZUo7M8yb/DY0DphD\n\
TI5qP8sVNBHQW5p+g28TdpGA20EGMr5irfb1Tjq1Lg0svok69HiBBgCSP71aKz8PVy0x1/\n\
GUG14Dv7sitSzjNE01Knci2jTj5u97GPoZdRYDQoFJ/OUTearm1/9LR6+A+Awj6r7p3AUk\n\
gKGx9Wh+260wA1Md8sTHZpGegIvS91m9l+V+i2ZPwet9Hs3qUPyah6W4lvbRV0dykZjt0M\n\
fcm7+mDZtF3qq3Wg5OAKYHaiN0ZdUsVc2jfFOdAVFqrtzyEkWeC1b70jSoD5ntCywJfH6a\n\
+B+DqZGU3A3E2LCTabCaT/NbyJhyORpILKca5VME9/RwzcFtUCytE+3mXQAfq174149zfj\n\
aZG3+XnNJfooN3Qj6K/C2RmzrTRrwDTepDLlpgZcYLr6rAfk+Sye9aEgGeAd8v+wbTgmO9\n\
hriOyGIYGMsSNpvY6AA+EOZ1vfaOaVtz085x7eCuF4AtaDrjvTRcZIbANfwMAtu0Fqi+MX\n\
Bew4RZUBRQ==";
    const OPENSSH_RSA_ENCRYPTED_PUB: &str = "\
ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDWZzGw8+6G4pKjH6Xdr1YgGofR+YaQrlB+pwZmeXndCytf4CJHM1LkJSiYdFUQHUM31t19SFCGORC2Kj7bLSHQnQvOCUkIysl9iLCo1ntArfAPXLNbdqcnsvEPY0MM6hEQSA5I+guG7VcaeVII4OFpOQlWjWCkEyOAA+ilSF+x4w==";
    const OPENSSH_ECDSA_BODY: &str = "\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\n\
1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQS8IJpuACA0MmpJhZNNdY2DVlX8xjSP\n\
aGas7cms8t4NdeeYohnfvULj0HdPjnaeMu+MPzSzqBA70buqG7FRQ+EwAAAAmJYql2uWKp\n\
drAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLwgmm4AIDQyakmF\n\
k011jYNWVfzGNI9oZqztyazy3g1155iiGd+9QuPQd0+Odp4y74w/NLOoEDvRu6obsVFD4T\n\
AAAAAgT58dfSbMZk2JdVbNoiuc1B6X67HTMpnXYNCCBHrhCNgAAAAA";
    const OPENSSH_ECDSA_PUB: &str = "\
ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLwgmm4AIDQyakmFk011jYNWVfzGNI9oZqztyazy3g1155iiGd+9QuPQd0+Odp4y74w/NLOoEDvRu6obsVFD4TA=";

    /// `ssh-keygen -lf` of the three public keys above.
    const SSH_KEYGEN_FINGERPRINTS: [&str; 3] = [
        "SHA256:u5tj2ww/SkcUoTppYvLUNLnUXZEJEQh6FmeXuOl2yDw",
        "SHA256:B/0hGZqHm1+boNRjr4U0GQQsuWJQ9WjcHxRyNUVo/7c",
        "SHA256:pNcHxbr/2tN17DedbGytwJdMTtyDWqtC560A7PZCjj4",
    ];

    fn cert_spki(pem_text: &str) -> String {
        let blocks = deprov::x509::pem_blocks(pem_text.as_bytes());
        let facts = deprov::x509::certificate_facts(blocks[0].contents.as_ref().unwrap()).unwrap();
        format!("spki-sha256:{}", facts.spki_sha256)
    }

    /// `sha256:HEX` of an OpenSSH public key line's blob.
    fn ssh_blob_sha256(line: &str) -> String {
        use base64::Engine;
        let blob = base64::engine::general_purpose::STANDARD
            .decode(line.split_whitespace().nth(1).unwrap())
            .unwrap();
        format!("sha256:{}", sha256_hex(&blob))
    }

    fn carries(label: &str, body: &str) -> (Vec<String>, String) {
        let found = builtin().scan("key.pem", pem(label, body.trim()).as_bytes());
        assert_eq!(detectors_of(&found), ["private-key"], "{found:#?}");
        (found[0].carries.clone(), found[0].description.clone())
    }

    #[test]
    fn rsa_pkcs1_and_pkcs8_keys_match_their_certificate() {
        let expected = cert_spki(RSA_CERT);
        assert_eq!(carries("RSA", RSA_PKCS1_BODY).0, vec![expected.clone()]);
        assert_eq!(carries("", RSA_PKCS8_BODY).0, vec![expected]);
    }

    #[test]
    fn ec_keys_match_their_certificate_with_or_without_the_embedded_point() {
        let expected = cert_spki(EC_CERT);
        assert_eq!(carries("EC", EC_SEC1_BODY).0, vec![expected.clone()]);
        // The point is computed with p256 when the key does not store it.
        assert_eq!(carries("EC", EC_SEC1_NO_PUBLIC_BODY).0, vec![expected]);
        assert_eq!(
            carries("", EC_P384_PKCS8_NO_PUBLIC_BODY).0,
            vec![cert_spki(EC_P384_CERT)]
        );
    }

    #[test]
    fn openssh_keys_carry_the_blob_fingerprint_even_when_encrypted() {
        let (ed, _) = carries("OPENSSH", OPENSSH_ED25519_BODY);
        assert_eq!(ed[0], ssh_blob_sha256(OPENSSH_ED25519_PUB));
        assert!(ed[1].starts_with("spki-sha256:"));
        let (rsa, description) = carries("OPENSSH", OPENSSH_RSA_ENCRYPTED_BODY);
        assert!(description.contains("encrypted"), "{description}");
        assert_eq!(rsa[0], ssh_blob_sha256(OPENSSH_RSA_ENCRYPTED_PUB));
        assert!(rsa[1].starts_with("spki-sha256:"));
        let (ecdsa, _) = carries("OPENSSH", OPENSSH_ECDSA_BODY);
        assert_eq!(ecdsa[0], ssh_blob_sha256(OPENSSH_ECDSA_PUB));
        assert_eq!(ecdsa.len(), 2);
        // The same fingerprints as `ssh-keygen -lf`, which prints them in base64.
        for (carried, expected) in [&ed[0], &rsa[0], &ecdsa[0]]
            .into_iter()
            .zip(SSH_KEYGEN_FINGERPRINTS)
        {
            use base64::Engine;
            let raw = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(expected.trim_start_matches("SHA256:"))
                .unwrap();
            assert_eq!(*carried, format!("sha256:{}", hex::encode(raw)));
        }
    }

    #[test]
    fn encrypted_pkcs8_keys_carry_nothing_and_say_so() {
        let (carried, description) = carries(
            "ENCRYPTED",
            "MIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI",
        );
        assert!(carried.is_empty());
        assert!(description.contains("encrypted"), "{description}");
    }
}

#[test]
fn agent_configurations_flag_embedded_credentials() {
    let set = builtin();
    let token = piece!("gh", "p_2iQnfEf3V1oCW35xwEeVxaZhRJqcax2nGrYM");
    let config = format!(
        "{{\n  \"mcpServers\": {{\n    \"github\": {{\n      \"command\": \"docker\",\n      \"args\": [\"run\", \"ghcr.io/github/github-mcp-server\"],\n      \"env\": {{\n        \"{}\": \"{token}\",\n        \"GITHUB_HOST\": \"https://github.com\"\n      }}\n    }},\n    \"search\": {{\n      \"url\": \"https://search.internal/mcp\",\n      \"headers\": {{ \"{}\": \"Bearer ${{input:search_key}}\" }}\n    }}\n  }},\n  \"outside\": \"{token}\"\n}}\n",
        piece!("GITHUB_PERSONAL_ACCESS_", "TOKEN"),
        piece!("Author", "ization"),
    );
    let found = set.scan("/home/dev/.cursor/mcp.json", config.as_bytes());
    assert_eq!(
        detectors_of(&found),
        ["github-classic-token", "github-classic-token"],
        "{found:#?}"
    );
    assert!(found[0].agent_credential, "inside a server's env");
    assert_eq!(found[0].line, 7);
    assert!(!found[1].agent_credential, "outside every server");

    let dotenv = format!(
        "# agent runtime\n{}={token}\nLOG_LEVEL=info\n",
        piece!("GITHUB_", "TOKEN")
    );
    let found = set.scan("agents/triage/.env", dotenv.as_bytes());
    assert_eq!(detectors_of(&found), ["github-classic-token"]);
    assert!(found[0].agent_credential);
    let found = set.scan("agents/triage/settings.txt", dotenv.as_bytes());
    assert!(!found[0].agent_credential);
}

#[test]
fn allow_comments_apply_to_their_line_and_the_next_only() {
    let set = builtin();
    let token = piece!("gh", "p_2iQnfEf3V1oCW35xwEeVxaZhRJqcax2nGrYM");
    let text = format!(
        "same = \"{token}\" # deprov:allow LEAK001 test fixture\n\
         # deprov:allow LEAK001,DPV004 rotated, kept for the parser test\n\
         previous = \"{token}\"\n\
         # deprov:allow LEAK001 too far away\n\
         \n\
         two_lines_below = \"{token}\"\n\
         after = \"{token}\"\n\
         # deprov:allow LEAK001 a comment after the match does not count\n"
    );
    let found = set.scan("fixtures.py", text.as_bytes());
    let allowed: Vec<(u32, Vec<String>)> = found
        .iter()
        .map(|m| (m.line, m.allowed_rules.clone()))
        .collect();
    assert_eq!(
        allowed,
        vec![
            (1, vec!["LEAK001".to_string()]),
            (3, vec!["LEAK001".to_string(), "DPV004".to_string()]),
            (6, vec![]),
            (7, vec![]),
        ]
    );
}

#[test]
fn hostile_input_never_panics() {
    let set = builtin();
    // Not UTF-8 around a token.
    let token = piece!("gh", "p_2iQnfEf3V1oCW35xwEeVxaZhRJqcax2nGrYM");
    let mut bytes = b"\xff\xfe\xc3(".to_vec();
    bytes.extend_from_slice(token.as_bytes());
    bytes.extend_from_slice(
        b"\xc3\xa9\xff\n\x80password=\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\n",
    );
    let found = set.scan("latin.txt", &bytes);
    assert_eq!(detectors_of(&found), ["github-classic-token"]);

    // A binary format's signature: skipped. A stray NUL early no longer hides a token (it
    // once made a whole text file "binary").
    let mut binary = b"\x89PNG\r\n\x1a\n".to_vec();
    binary.extend_from_slice(token.as_bytes());
    assert!(set.scan("image.png", &binary).is_empty());
    let mut nul = vec![0u8, 1, 2];
    nul.extend_from_slice(token.as_bytes());
    assert_eq!(
        detectors_of(&set.scan("config.txt", &nul)),
        ["github-classic-token"]
    );

    // Huge single lines (minified code): one dense with keywords, one with none, each with a
    // token in the middle and at the end, after a first line.
    let dense = "token=password;secret:".repeat(4 * 1024 * 1024 / 22);
    let sparse = "x".repeat(16 * 1024 * 1024);
    for filler in [dense, sparse] {
        let mut huge = format!("first line\n{filler}");
        huge.insert_str(huge.len() / 2, &format!(" {token} "));
        huge.push_str(&format!(" {token}"));
        let started = std::time::Instant::now();
        let found = set.scan("minified.js", huge.as_bytes());
        assert_eq!(
            detectors_of(&found),
            ["github-classic-token", "github-classic-token"]
        );
        assert!(found.iter().all(|m| m.line == 2));
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }

    // Truncated and broken structures.
    for text in [
        pem("RSA", "%%%%").replace("-----END", ""),
        "-----BEGIN".to_string(),
        "{\"mcpServers\": {\"x\": {\"env\": {\"TOKEN\": \"\\u12".to_string(),
        "{\"mcpServers\": ".repeat(10_000),
        format!(
            "{}\\",
            piece!(
                "\"private_",
                "key_id\": \"52a38b8dd277bdef11357f8a30d7761a1100ff31\""
            )
        ),
        "eyJ.eyJ.x".to_string(),
        "postgres://a:@b".to_string(),
        "deprov:allow".to_string(),
        String::new(),
    ] {
        set.scan("mcp.json", text.as_bytes());
        set.scan(".env", text.as_bytes());
    }
}

#[test]
fn user_detectors_add_and_replace_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("detectors.yaml");
    std::fs::write(
        &user,
        "detectors:\n  - id: acme-api-key\n    description: ACME internal API key\n    keywords: [acme_]\n    regex: '\\b(?P<secret>acme_[a-z0-9]{24})\\b'\n    entropy: 3.0\n    tests:\n      - matches: 'key = ac~~me_q8zr2lmt5vxw9kpn3bycd7fh'\n      - no_match: 'acme_short'\n  - id: npm-token\n    description: npm token, stricter\n    keywords: [npm_]\n    regex: '\\b(?P<secret>npm_[A-Za-z0-9]{36})\\b'\n    entropy: 4.5\n",
    )
    .unwrap();
    let set = DetectorSet::with_user_files(&[user]).unwrap();
    let ids: Vec<&str> = set.ids().collect();
    assert_eq!(ids.iter().filter(|id| **id == "npm-token").count(), 1);
    assert_eq!(set.description("npm-token"), Some("npm token, stricter"));
    // User detectors rank before generic ones, so the specific one wins a `key = …` line.
    let position = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert!(position("acme-api-key") < position("generic-secret-assignment"));
    assert!(
        set.failing_examples().is_empty(),
        "{:?}",
        set.failing_examples()
    );
    let found = set.scan(
        "x",
        piece!("api_key = ac", "me_q8zr2lmt5vxw9kpn3bycd7fh").as_bytes(),
    );
    assert_eq!(detectors_of(&found), ["acme-api-key"]);
}

#[test]
fn broken_user_files_are_diagnostics_with_places() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("bad.yaml");
    std::fs::write(
        &user,
        "detectors:\n  - id: bad-regex\n    description: x\n    keywords: [abc]\n    regex: '(?P<secret>abc['\n  - id: no-keywords\n    description: y\n    regex: '(?P<secret>xyz)'\n",
    )
    .unwrap();
    let err = DetectorSet::with_user_files(std::slice::from_ref(&user)).unwrap_err();
    let DetectorError::Invalid { problems } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len(), 2, "{problems:#?}");
    let rendered = format!("{:?}", miette::Report::new(err));
    assert!(rendered.contains("bad.yaml"), "{rendered}");
    assert!(rendered.contains("bad-regex"), "{rendered}");

    let missing =
        DetectorSet::with_user_files(&[PathBuf::from("/nonexistent/detectors.yaml")]).unwrap_err();
    assert!(matches!(
        missing,
        DetectorError::File(FileDiagnostic::Io { .. })
    ));
    std::fs::write(&user, "detectors: [").unwrap();
    assert!(matches!(
        DetectorSet::with_user_files(&[user]).unwrap_err(),
        DetectorError::File(FileDiagnostic::Syntax { .. })
    ));
}

#[test]
fn a_detector_set_is_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<DetectorSet>();
    shareable::<SecretMatch>();
}
