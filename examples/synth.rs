//! Writes a synthetic organisation for benchmarks and demos:
//! `cargo run --release --example synth -- OUT_DIR [CREDENTIALS] [SEED] [aws|mixed]`.

#[path = "../benches/support/synth.rs"]
mod synth;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: synth OUT_DIR [CREDENTIALS] [SEED] [aws|mixed]");
        std::process::exit(2);
    };
    let credentials = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    let generate = match args.get(3).map(String::as_str) {
        Some("aws") => synth::aws_org,
        _ => synth::mixed_org,
    };
    match generate(std::path::Path::new(out), credentials, seed) {
        Ok(expected) => println!("{expected:?}"),
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            std::process::exit(2);
        }
    }
}
