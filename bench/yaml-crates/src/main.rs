//! Why this exists: `corroborate` chose serde-saphyr 2.2 over the deprecated serde_yaml 0.9
//! (RUSTSEC-2024-0320) and its forks serde_yaml_ng and serde_norway. This binary checks
//! that choice by measurement: it loads the same YAML with one chosen crate into the same
//! target type and reports speed, or how the crate behaves on a problem input (byte-order
//! mark, duplicate keys, alias bombs), or whether it can give the position of a value that
//! parsed. `run.sh` drives it and prints the table kept in README.md.
//!
//! ```text
//! yaml-crates load      CRATE value|typed PATH...   time loading every *.yaml/*.yml, keep all
//! yaml-crates check     CRATE value|typed|native|settings FILE   load one file: ok/error
//! yaml-crates positions CRATE FILE                  line:column of each entity id
//! yaml-crates gen       laughs|wide|chain OUT       write an alias bomb
//! ```
//! CRATE: serde_yaml, serde_yaml_ng, serde_norway, saphyr (default Options, so the default
//! Budget) or saphyr-nobudget (Options with `budget: None`; alias limits stay).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use std::{env, fs, process};

#[derive(Clone, Copy, PartialEq)]
enum Crate {
    SerdeYaml,
    Ng,
    Norway,
    Saphyr,
    SaphyrNoBudget,
}

impl Crate {
    fn from_name(name: &str) -> Option<Crate> {
        Some(match name {
            "serde_yaml" => Crate::SerdeYaml,
            "serde_yaml_ng" => Crate::Ng,
            "serde_norway" => Crate::Norway,
            "saphyr" => Crate::Saphyr,
            "saphyr-nobudget" => Crate::SaphyrNoBudget,
            _ => return None,
        })
    }

    /// Deserialises one YAML document into `T`; the error is the crate's own message.
    fn parse<T: DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Crate::SerdeYaml => serde_yaml::from_str(text).map_err(|e| e.to_string()),
            Crate::Ng => serde_yaml_ng::from_str(text).map_err(|e| e.to_string()),
            Crate::Norway => serde_norway::from_str(text).map_err(|e| e.to_string()),
            Crate::Saphyr => serde_saphyr::from_str(text).map_err(|e| e.to_string()),
            Crate::SaphyrNoBudget => {
                let options = serde_saphyr::options! { budget: None };
                serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())
            }
        }
    }

    /// Deserialises into the crate's own generic value type (serde-saphyr has none).
    fn parse_native(self, text: &str) -> Result<String, String> {
        let debug = |v: &dyn std::fmt::Debug| format!("{v:?}");
        match self {
            Crate::SerdeYaml => serde_yaml::from_str::<serde_yaml::Value>(text)
                .map(|v| debug(&v))
                .map_err(|e| e.to_string()),
            Crate::Ng => serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
                .map(|v| debug(&v))
                .map_err(|e| e.to_string()),
            Crate::Norway => serde_norway::from_str::<serde_norway::Value>(text)
                .map(|v| debug(&v))
                .map_err(|e| e.to_string()),
            Crate::Saphyr | Crate::SaphyrNoBudget => Err("n/a: no generic Value type".into()),
        }
    }
}

/// A data file of FORMAT.md v1. Dates and verdicts may be numbers, strings or booleans in
/// YAML, so they stay `serde_json::Value` here; every other field has its real type.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DataFile {
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    sources: Vec<Source>,
    #[serde(default)]
    claims: Vec<Claim>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Entity {
    id: String,
    name: String,
    kind: Option<String>,
    aliases: Option<Vec<String>>,
    url: Option<String>,
    description: Option<String>,
    sensitive: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Source {
    id: String,
    title: String,
    kind: Option<String>,
    publisher: Option<String>,
    by: Option<String>,
    author: Option<String>,
    url: Option<String>,
    archive_url: Option<String>,
    published: Option<Value>,
    accessed: Option<Value>,
    language: Option<String>,
    reliability: Option<String>,
    cites: Option<Vec<String>>,
    file: Option<String>,
    sha256: Option<String>,
    notes: Option<String>,
    sensitive: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Claim {
    id: String,
    statement: String,
    claimant: Option<String>,
    about: Option<Vec<String>>,
    date: Option<Value>,
    appearance: Option<String>,
    tags: Option<Vec<String>>,
    verdict: Option<Value>,
    verdict_note: Option<String>,
    sensitive: Option<bool>,
    evidence: Option<Vec<Evidence>>,
    related: Option<Vec<Related>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Evidence {
    source: String,
    stance: String,
    quote: Option<String>,
    quote_original: Option<String>,
    locator: Option<String>,
    credibility: Option<u8>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Related {
    claim: String,
    relation: String,
}

/// The map field of `corroborate.yaml`: a map, not a struct, so serde derive does not
/// reject a repeated key there; the YAML crate has to.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    lints: BTreeMap<String, String>,
}

fn yaml_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap_or_else(|e| die(&format!("{}: {e}", path.display())))
            .map(|entry| entry.expect("directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            yaml_files(&entry, out);
        }
    } else if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) {
        out.push(path.to_path_buf());
    }
}

/// Loads every file in one process, single thread, keeping all results alive (as
/// corroborate does before cross-checking). Times parsing only, not reading.
fn load<T: DeserializeOwned>(krate: Crate, name: &str, target: &str, paths: &[String]) {
    let mut files = Vec::new();
    for p in paths {
        yaml_files(Path::new(p), &mut files);
    }
    let (mut bytes, mut secs, mut kept, mut status) = (0usize, 0f64, Vec::new(), "ok".to_string());
    for file in &files {
        let text =
            fs::read_to_string(file).unwrap_or_else(|e| die(&format!("{}: {e}", file.display())));
        let start = Instant::now();
        let result = krate.parse::<T>(&text);
        secs += start.elapsed().as_secs_f64();
        bytes += text.len();
        match result {
            Ok(v) => kept.push(v),
            Err(e) => {
                status = format!("error in {}: {}", file.display(), first_line(&e));
                break;
            }
        }
    }
    let mbps = bytes as f64 / 1e6 / secs;
    println!(
        "{name}\t{target}\t{}\t{bytes}\t{secs:.4}\t{mbps:.2}\t{status}",
        kept.len()
    );
}

fn check(krate: Crate, target: &str, file: &str) {
    let text = fs::read_to_string(file).unwrap_or_else(|e| die(&format!("{file}: {e}")));
    let result = match target {
        "value" => krate.parse::<Value>(&text).map(|v| v.to_string()),
        "typed" => krate.parse::<DataFile>(&text).map(|d| {
            format!(
                "{} entities, {} sources, {} claims",
                d.entities.len(),
                d.sources.len(),
                d.claims.len()
            )
        }),
        "native" => krate.parse_native(&text),
        "settings" => krate
            .parse::<Settings>(&text)
            .map(|s| format!("lints {:?}", s.lints)),
        _ => die("target must be value, typed, native or settings"),
    };
    match result {
        Ok(summary) => println!("ok: {}", truncate(&summary, 160)),
        Err(e) => println!("error: {}", truncate(first_line(&e), 160)),
    }
}

#[derive(Deserialize)]
struct PosFile {
    entities: Vec<PosEntity>,
}

#[derive(Deserialize)]
struct PosEntity {
    id: serde_saphyr::Spanned<String>,
}

/// serde-saphyr: `Spanned<T>`. The serde_yaml family has no span type: the only position
/// they expose is `Error::location()`, i.e. only for a parse that failed.
fn positions(krate: Crate, file: &str) {
    let text = fs::read_to_string(file).unwrap_or_else(|e| die(&format!("{file}: {e}")));
    match krate {
        Crate::Saphyr | Crate::SaphyrNoBudget => match serde_saphyr::from_str::<PosFile>(&text) {
            Ok(f) => {
                let mut out = String::new();
                for e in &f.entities {
                    let at = e.id.referenced;
                    let _ = write!(out, "{}@{}:{} ", e.id.value, at.line(), at.column());
                }
                println!("yes: {}", out.trim_end());
            }
            Err(e) => println!("error: {}", first_line(&e.to_string())),
        },
        _ => {
            // Force a failure after the ids to show where the forks do give a position.
            let location = |line: usize, column: usize| format!("{line}:{column}");
            let bad = format!("{text}\nnot_a_field: 1\n");
            let loc = match krate {
                Crate::SerdeYaml => serde_yaml::from_str::<DataFile>(&bad)
                    .err()
                    .and_then(|e| e.location().map(|l| location(l.line(), l.column()))),
                Crate::Ng => serde_yaml_ng::from_str::<DataFile>(&bad)
                    .err()
                    .and_then(|e| e.location().map(|l| location(l.line(), l.column()))),
                _ => serde_norway::from_str::<DataFile>(&bad)
                    .err()
                    .and_then(|e| e.location().map(|l| location(l.line(), l.column()))),
            };
            println!(
                "no: no span type; only Error::location() of a failed parse ({})",
                loc.unwrap_or("none".into())
            );
        }
    }
}

/// Writes an alias bomb. `laughs`: billion laughs, nine lists of nine (9^9 strings, 342
/// bytes). `wide` (~3 MB): one anchored list of 1,000 scalars and 740,000 aliases to it;
/// the forks' limit (alias jumps <= 100 x events in the file) lets it through, since each
/// jump replays 1,000 scalars. `chain` (~3 MB): 65,000 anchors, each a list of four aliases
/// of the previous one.
fn gen(kind: &str, out: &str) {
    let mut s = String::new();
    match kind {
        "laughs" => {
            s.push_str(
                "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
            );
            for (prev, cur) in "abcdefgh".chars().zip("bcdefghi".chars()) {
                let refs = vec![format!("*{prev}"); 9].join(",");
                let _ = writeln!(s, "{cur}: &{cur} [{refs}]");
            }
        }
        "wide" => {
            s.push_str("big: &a [");
            s.push_str(&"x, ".repeat(1_000));
            s.push_str("x]\nrefs: [");
            s.push_str(&"*a, ".repeat(740_000));
            s.push_str("*a]\n");
        }
        "chain" => {
            s.push_str("- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for i in 1..65_000 {
                let p = i - 1;
                let _ = writeln!(s, "- &a{i} [*a{p}, *a{p}, *a{p}, *a{p}]");
            }
        }
        _ => die("bomb kind must be laughs, wide or chain"),
    }
    fs::write(out, s).unwrap_or_else(|e| die(&format!("{out}: {e}")));
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn die(msg: &str) -> ! {
    eprintln!("yaml-crates: {msg}");
    process::exit(2)
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .map(String::as_str)
            .unwrap_or_else(|| die("missing argument (see --help in src/main.rs)"))
    };
    let krate = || Crate::from_name(arg(1)).unwrap_or_else(|| die("unknown crate"));
    match arg(0) {
        "load" => match arg(2) {
            "value" => load::<Value>(krate(), arg(1), "value", &args[3..]),
            "typed" => load::<DataFile>(krate(), arg(1), "typed", &args[3..]),
            _ => die("target must be value or typed"),
        },
        "check" => check(krate(), arg(2), arg(3)),
        "positions" => positions(krate(), arg(2)),
        "gen" => gen(arg(1), arg(2)),
        _ => die("mode must be load, check, positions or gen"),
    }
}
