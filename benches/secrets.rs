//! Secret detector throughput, single-threaded: a deterministic ~300 MB corpus of source-like
//! text (the cargo registry sources when present, synthetic code otherwise) with a few hundred
//! planted fake secrets, scanned file by file with the built-in detectors. Prints MB/s and the
//! number of matches, and fails if any planted secret is missed.
//!
//! `cargo bench --bench secrets -- [MB] [RUNS]` (default 300 MB, 3 runs, median reported).
//! Planted tokens are assembled at run time so that this file holds none.

use std::path::{Path, PathBuf};
use std::time::Instant;

use deprov::sources::exposure::secrets::DetectorSet;

/// GitHub tokens with a valid checksum (deprov drops the others as dummies).
#[path = "../tests/support/tokens.rs"]
mod tokens;

/// Source files of this kind and size are read from the registry.
const EXTENSIONS: &[&str] = &[
    "rs", "c", "h", "md", "toml", "json", "yml", "yaml", "txt", "py", "sh", "go", "js",
];
const MAX_FILE_LEN: u64 = 4 * 1024 * 1024;
/// One planted secret per this many bytes of corpus: about 300 in 300 MB.
const PLANT_EVERY: usize = 1024 * 1024;

/// A small deterministic generator (xorshift64*), so that the corpus and planted secrets are the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[(self.next() % alphabet.len() as u64) as usize]))
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE32_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A planted secret: the lines inserted and the detector that must report it on the first.
struct Plant {
    text: String,
    detector: &'static str,
}

fn plant(kind: usize, rng: &mut Rng) -> Plant {
    let cat = |parts: &[&str]| parts.concat();
    match kind % 12 {
        0 => Plant {
            text: format!(
                "aws_access_key_id = {}\naws_secret_access_key = {}\n",
                cat(&["AK", "IA", &rng.pick(BASE32_UPPER, 16)]),
                rng.pick(BASE64, 40)
            ),
            detector: "aws-access-key",
        },
        1 => Plant {
            text: format!("GITHUB_TOKEN={}\n", tokens::github_classic(&rng.pick(ALNUM, 30))),
            detector: "github-classic-token",
        },
        2 => Plant {
            text: format!(
                "token: {}\n",
                cat(&["github", "_pat_", &rng.pick(ALNUM, 22), "_", &rng.pick(ALNUM, 59)])
            ),
            detector: "github-fine-grained-token",
        },
        3 => Plant {
            text: format!(
                "slack = \"{}\"\n",
                cat(&["xo", "xb-", &rng.pick(b"0123456789", 12), "-", &rng.pick(b"0123456789", 13), "-", &rng.pick(ALNUM, 24)])
            ),
            detector: "slack-token",
        },
        4 => Plant {
            text: format!(
                "{}\n{}\n{}\n",
                cat(&["-----BEGIN RSA ", "PRIVATE KEY-----"]),
                (0..6).map(|_| rng.pick(BASE64, 64)).collect::<Vec<_>>().join("\n"),
                cat(&["-----END RSA ", "PRIVATE KEY-----"])
            ),
            detector: "private-key",
        },
        5 => Plant {
            text: format!(
                "  \"{}\": \"{}\",\n  \"private_key\": \"{}\\n{}\\n{}\\n\",\n  \"client_email\": \"ci@p.iam.gserviceaccount.com\",\n",
                cat(&["private_", "key_id"]),
                rng.pick(b"0123456789abcdef", 40),
                cat(&["-----BEGIN ", "PRIVATE KEY-----"]),
                rng.pick(BASE64, 64),
                cat(&["-----END ", "PRIVATE KEY-----"])
            ),
            detector: "gcp-service-account-key",
        },
        6 => Plant {
            text: format!("STRIPE={}\n", cat(&["sk_li", "ve_", &rng.pick(ALNUM, 32)])),
            detector: "stripe-secret-key",
        },
        7 => Plant {
            text: format!("VAULT_TOKEN={}\n", cat(&["hv", "s.", &rng.pick(ALNUM, 90)])),
            detector: "vault-token",
        },
        8 => Plant {
            text: format!(
                "DATABASE_URL={}//svc:{}@db.internal:5432/app\n",
                cat(&["postgres", ":"]),
                rng.pick(ALNUM, 16)
            ),
            detector: "url-credentials",
        },
        9 => Plant {
            text: format!("db_{} = \"{}7\"\n", cat(&["pass", "word"]), rng.pick(ALNUM, 19)),
            detector: "generic-secret-assignment",
        },
        10 => Plant {
            text: format!(
                "AZURE_CLIENT_SECRET={}\n",
                cat(&[&rng.pick(ALNUM, 3), "8Q", "~", &rng.pick(ALNUM, 31)])
            ),
            detector: "azure-client-secret",
        },
        _ => Plant {
            text: format!("gitlab: {}\n", cat(&["glp", "at-", &rng.pick(ALNUM, 20)])),
            detector: "gitlab-token",
        },
    }
}

/// Registry source files, sorted, so that the corpus is the same on every run.
fn registry_files() -> Vec<PathBuf> {
    let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
    else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(home.join("registry/src"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.metadata().is_ok_and(|m| m.len() <= MAX_FILE_LEN))
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| EXTENSIONS.contains(&x))
        })
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Source-like text when there is no registry: functions, comments, config-ish lines.
fn synthetic_file(rng: &mut Rng, len: usize) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "let",
        "value",
        "token",
        "parse",
        "config",
        "buffer",
        "self",
        "return",
        "match",
        "error",
        "secret",
        "password",
        "fn",
        "impl",
        "struct",
        "https://example.org/docs",
        "key",
        "result",
    ];
    let mut text = String::with_capacity(len + 128);
    while text.len() < len {
        let words = 4 + (rng.next() % 10) as usize;
        text.push_str("    ");
        for _ in 0..words {
            text.push_str(WORDS[(rng.next() % WORDS.len() as u64) as usize]);
            text.push(' ');
        }
        text.push_str(if rng.next().is_multiple_of(7) {
            "// note\n"
        } else {
            ";\n"
        });
    }
    text.into_bytes()
}

struct Corpus {
    files: Vec<Vec<u8>>,
    /// (file index, line, detector) of every planted secret.
    planted: Vec<(usize, u32, &'static str)>,
    source: String,
}

fn build_corpus(target: usize) -> Corpus {
    let mut rng = Rng(0x5EC2_E75D_E7EC_7042);
    let mut files: Vec<Vec<u8>> = Vec::new();
    let mut total = 0usize;
    let paths = registry_files();
    let source;
    if paths.is_empty() {
        source = "synthetic code".to_string();
        while total < target {
            let len = 4096 + (rng.next() % 60_000) as usize;
            let file = synthetic_file(&mut rng, len);
            total += file.len();
            files.push(file);
        }
    } else {
        let mut originals: Vec<Vec<u8>> = Vec::new();
        let mut original_total = 0usize;
        for path in &paths {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            if bytes[..bytes.len().min(8192)].contains(&0) {
                continue;
            }
            original_total += bytes.len();
            originals.push(bytes);
            if original_total >= target {
                break;
            }
        }
        source = format!(
            "{} registry files ({:.0} MB), repeated to the target size",
            originals.len(),
            original_total as f64 / 1e6
        );
        'fill: loop {
            for file in &originals {
                if total >= target {
                    break 'fill;
                }
                total += file.len();
                files.push(file.clone());
            }
        }
    }

    // Plant at a line start of every file that crosses a PLANT_EVERY boundary.
    let mut planted = Vec::new();
    let mut offset = 0usize;
    let mut next_plant = PLANT_EVERY / 2;
    for (index, file) in files.iter_mut().enumerate() {
        offset += file.len();
        if offset < next_plant {
            continue;
        }
        next_plant += PLANT_EVERY;
        let newlines: Vec<usize> = file
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let at = if newlines.is_empty() {
            0
        } else {
            newlines[(rng.next() % newlines.len() as u64) as usize] + 1
        };
        let line = file[..at].iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let secret = plant(planted.len(), &mut rng);
        // Blank lines around the plant keep it apart from whatever the file has there.
        let text = format!("\n\n{}\n\n", secret.text);
        file.splice(at..at, text.bytes());
        planted.push((index, line + 2, secret.detector));
    }
    Corpus {
        files,
        planted,
        source,
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let megabytes: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(300);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3).max(1);

    let started = Instant::now();
    let corpus = build_corpus(megabytes * 1_000_000);
    let bytes: usize = corpus.files.iter().map(Vec::len).sum();
    println!(
        "corpus: {} files, {:.1} MB ({}), {} planted secrets, built in {:.1} s",
        corpus.files.len(),
        bytes as f64 / 1e6,
        corpus.source,
        corpus.planted.len(),
        started.elapsed().as_secs_f64()
    );

    let compile_started = Instant::now();
    let set = DetectorSet::builtin().expect("built-in detectors compile");
    println!(
        "detectors: {} compiled in {:.1} ms",
        set.ids().count(),
        compile_started.elapsed().as_secs_f64() * 1e3
    );

    let baseline_started = Instant::now();
    let newlines: usize = corpus
        .files
        .iter()
        .map(|f| memchr::memchr_iter(b'\n', f).count())
        .sum();
    let baseline = baseline_started.elapsed().as_secs_f64();
    println!(
        "baseline (memchr newline count, {newlines} lines): {:.0} MB/s",
        bytes as f64 / 1e6 / baseline
    );

    let mut timings = Vec::new();
    let mut found = Vec::new();
    for run in 0..runs {
        let run_started = Instant::now();
        let matches: Vec<Vec<deprov::sources::exposure::secrets::SecretMatch>> = corpus
            .files
            .iter()
            .map(|file| set.scan("corpus.txt", file))
            .collect();
        let elapsed = run_started.elapsed().as_secs_f64();
        let count: usize = matches.iter().map(Vec::len).sum();
        println!(
            "run {}: {:.2} s, {:.0} MB/s, {count} matches",
            run + 1,
            elapsed,
            bytes as f64 / 1e6 / elapsed
        );
        timings.push(elapsed);
        found = matches;
    }
    timings.sort_by(f64::total_cmp);
    let median = timings[timings.len() / 2];

    let mut per_detector: std::collections::BTreeMap<&str, usize> = Default::default();
    for m in found.iter().flatten() {
        *per_detector.entry(m.detector.as_str()).or_default() += 1;
    }
    println!("matches per detector: {per_detector:?}");

    let missed: Vec<&(usize, u32, &str)> = corpus
        .planted
        .iter()
        .filter(|(file, line, detector)| {
            !found[*file]
                .iter()
                .any(|m| m.line == *line && m.detector == *detector)
        })
        .collect();
    println!(
        "single-threaded: {:.0} MB/s (median of {runs}), {} matches, {}/{} planted secrets found",
        bytes as f64 / 1e6 / median,
        found.iter().map(Vec::len).sum::<usize>(),
        corpus.planted.len() - missed.len(),
        corpus.planted.len()
    );
    for (file, line, detector) in &missed {
        let nearby: Vec<_> = found[*file]
            .iter()
            .filter(|m| m.line.abs_diff(*line) < 5)
            .collect();
        eprintln!("missed {detector} in file {file} line {line}; near it: {nearby:?}");
    }
    assert!(missed.is_empty(), "{} planted secrets missed", missed.len());
}
