//! Every command, run with `--lang es` on the examples and a small demo store, prints no
//! English phrase of pacta's own. The phrases are not listed by hand: they are read from the
//! message catalogue the code itself is, every `lang.pick("English", "Spanish")` and every
//! `("key", "English", "Spanish")` row of a label table in `crates/*/src`. A phrase counts
//! when it has at least two words, ten characters, and differs from its Spanish (names such as
//! `SLA` or `Erlang C` are the same in both).

use std::path::{Path, PathBuf};

use crate::common::{example, pacta};

/// A token of Rust source, as far as the catalogue needs: string literals (escapes and line
/// continuations resolved), identifiers and single punctuation characters.
#[derive(Debug, PartialEq)]
enum Token {
    Str(String),
    Ident(String),
    Punct(char),
}

/// The tokens of `src`, comments and raw strings skipped.
fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && matches!(chars.get(i + 1), Some('#' | '"')) {
            // A raw string: skip to its closing quote and as many hashes.
            let mut hashes = 0;
            i += 1;
            while chars.get(i) == Some(&'#') {
                hashes += 1;
                i += 1;
            }
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
        } else if c == '\'' {
            // A char literal or a lifetime: skip it, so `'"'` opens no string.
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                i += 1;
            }
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    match chars.get(i + 1) {
                        Some('\n') => {
                            i += 2;
                            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                                i += 1;
                            }
                            continue;
                        }
                        Some('n') => s.push('\n'),
                        Some(other) => s.push(*other),
                        None => {}
                    }
                    i += 2;
                } else {
                    s.push(chars[i]);
                    i += 1;
                }
            }
            i += 1;
            out.push(Token::Str(s));
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The (English, Spanish) pairs of one source file.
fn pairs(src: &str) -> Vec<(String, String)> {
    let t = tokens(src);
    let mut found = Vec::new();
    for w in t.windows(8) {
        match w {
            [
                Token::Ident(pick),
                Token::Punct('('),
                Token::Str(en),
                Token::Punct(','),
                Token::Str(es),
                ..,
            ] if pick == "pick" => {
                found.push((en.clone(), es.clone()));
            }
            [
                Token::Punct('('),
                Token::Str(key),
                Token::Punct(','),
                Token::Str(en),
                Token::Punct(','),
                Token::Str(es),
                Token::Punct(')' | ','),
                ..,
            ] if !key.contains(' ') => {
                found.push((en.clone(), es.clone()));
            }
            _ => {}
        }
    }
    found
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The English phrases worth looking for in Spanish output: each piece, between `{…}`
/// placeholders, of a string literal in `crates/*/src` with two words and ten characters at
/// least, unless a Spanish message of the catalogue contains it too. Every literal counts, not
/// only the catalogue's English side: a message written in English only is exactly the bug.
fn english_phrases() -> Vec<String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates).expect("crates").flatten() {
        rust_files(&entry.path().join("src"), &mut files);
    }
    let mut literals = Vec::new();
    let mut spanish = Vec::new();
    for file in files {
        let whole = std::fs::read_to_string(&file).expect("source");
        // Unit tests' fixtures are not messages.
        let src = whole.split("#[cfg(test)]").next().unwrap_or_default();
        for (_, es) in pairs(src) {
            spanish.push(es);
        }
        literals.extend(tokens(src).into_iter().filter_map(|t| match t {
            Token::Str(s) => Some(s),
            _ => None,
        }));
    }
    // What the examples themselves say is the user's own text (a contract written in English
    // names its meetings and criteria in English), not pacta's.
    let mut inputs = String::new();
    let mut example_files = Vec::new();
    all_files(&crates.join("../examples"), &mut example_files);
    for file in example_files {
        inputs.push_str(&std::fs::read_to_string(file).unwrap_or_default());
    }
    let mut phrases = std::collections::BTreeSet::new();
    for literal in literals {
        for piece in literal.split(['{', '}', '\n', '`', '(', ')', ':', ';', '=', '"']) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let words = piece
                .split_whitespace()
                .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
                .count();
            if words >= 2
                && piece.len() >= 10
                && piece.is_ascii()
                && reads_as_english(piece)
                && !spanish.iter().any(|es| es.contains(piece))
                && !inputs.contains(piece)
            {
                phrases.insert(piece.to_string());
            }
        }
    }
    phrases.into_iter().collect()
}

/// Whether a piece of text reads as English rather than Spanish: more of its words are
/// English function words than Spanish ones (the code holds both languages' literals side by
/// side, not always in a `pick`).
fn reads_as_english(piece: &str) -> bool {
    const ENGLISH: &[&str] = &[
        "the", "of", "and", "to", "by", "for", "with", "without", "a", "an", "is", "are", "in",
        "on", "from", "at", "or", "not", "no", "per", "each", "vs", "than", "this", "that", "be",
        "was", "were", "has", "have", "it", "its", "into", "below", "above", "after", "before",
    ];
    const SPANISH: &[&str] = &[
        "el", "la", "los", "las", "de", "del", "que", "por", "para", "con", "sin", "un", "una",
        "y", "en", "se", "es", "al", "lo", "su", "sus", "o", "cada", "no", "como", "más",
    ];
    let words: Vec<String> = piece
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .collect();
    let count = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
    let (en, es) = (count(ENGLISH), count(SPANISH));
    en > es
}

#[test]
fn the_catalogue_is_read_from_the_code() {
    assert!(reads_as_english("contacts arriving in the window"));
    assert!(reads_as_english("declared by the provider"));
    // No function word either way: not counted (a name, or a Spanish label).
    assert!(!reads_as_english("Voz entrante"));
    assert!(!reads_as_english("El modelo por hora cuesta"));
    assert!(!reads_as_english("de los cargos mensuales"));
    let found = pairs(
        r#"lang.pick("credit note", "nota de crédito"); ("due", "Due \
           date", "Vencimiento"), x.pick("a", 'b');"#,
    );
    assert_eq!(
        found,
        [
            ("credit note".to_string(), "nota de crédito".to_string()),
            ("Due date".to_string(), "Vencimiento".to_string()),
        ]
    );
    let phrases = english_phrases();
    assert!(phrases.len() > 300, "{} phrases", phrases.len());
    assert!(phrases.iter().any(|p| p == "contacts in the month"));
}

/// Runs `pacta --lang es ARGS` in `dir`; its standard output and error together.
fn spanish(dir: &Path, args: &[&str]) -> String {
    let out = pacta()
        .current_dir(dir)
        .arg("--lang")
        .arg("es")
        .args(args)
        .output()
        .expect("pacta runs");
    assert!(
        matches!(out.status.code(), Some(0..=3)),
        "pacta {args:?} crashed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn every_command_speaks_spanish_with_lang_es() {
    let phrases = english_phrases();
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path();
    let bank = example("bank-inbound-manila.toml");
    let weak = example("weak-draft.toml");
    let selection = example("selection/bank-cards-2027.toml");
    let pilot = example("selection/pilot-2026-q4.csv");
    let demo = "demo/contract.toml";
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "demo",
            "--rows",
            "3000",
            "--out",
            "demo",
            "--store",
            "pacta-data",
        ],
        vec!["check", &bank, &weak],
        vec!["review", &weak],
        vec!["render", &bank],
        vec!["init", "--template", "inbound", "-o", "nuevo.toml"],
        vec!["schema", "-o", "schema.json"],
        vec![
            "gen",
            "--contract",
            demo,
            "--month",
            "2026-11",
            "--rows",
            "2000",
            "--out",
            "nov",
        ],
        vec!["store", "info"],
        vec!["kpi", "--contract", demo, "--month", "2026-10"],
        vec![
            "plan",
            "--contract",
            demo,
            "--from-store",
            "--month",
            "2026-10",
        ],
        vec![
            "settle",
            "--contract",
            demo,
            "--month",
            "2026-10",
            "--no-save",
        ],
        vec![
            "explain",
            "--contract",
            demo,
            "--month",
            "2026-10",
            "SL-VOICE",
        ],
        vec!["month", "status", "--contract", demo],
        vec!["audit", "verify"],
        vec![
            "obligations",
            "--contract",
            demo,
            "--from",
            "2026-10-01",
            "--to",
            "2026-12-31",
        ],
        vec!["dispute", "list", "--contract", demo],
        vec!["select", &selection, "--pilot", &pilot],
    ];
    let mut leaks = Vec::new();
    for args in &runs {
        let text = spanish(work, args);
        for phrase in &phrases {
            if text.contains(phrase.as_str()) {
                leaks.push(format!("pacta --lang es {}: `{phrase}`", args.join(" ")));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} English phrases in Spanish output:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
