//! Writes a synthetic organisation for benchmarks and demos:
//! `cargo run --release --example synth -- OUT_DIR [CREDENTIALS] [SEED] [SHAPE]`, with the
//! shapes of `benches/scan.rs` (`full`, `mixed`, `aws`, `aws-spread`, `gcp`, `gcp-spread`,
//! `azure`, `kubernetes`; default `mixed`).

#[path = "../benches/support/synth.rs"]
mod synth;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: synth OUT_DIR [CREDENTIALS] [SEED] [SHAPE]");
        std::process::exit(2);
    };
    let credentials = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    let shape = args.get(3).map_or("mixed", String::as_str);
    match synth::org(shape, std::path::Path::new(out), credentials, seed) {
        Ok(expected) => println!("{expected:?}"),
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            std::process::exit(2);
        }
    }
}
