//! The rules of docs/architecture.md ("Rules for the next change"), checked on the source tree:
//! the greps that document lists, run by the test suite so that a rule broken is a test failed
//! (rust-analyzer's `tidy` habit). Each rule is a function from a file to its violations; the
//! `each_rule_catches_…` tests plant one violation per rule and watch it caught, so none of them
//! can pass by matching nothing.

use std::path::{Path, PathBuf};

/// A source file, by its path from the repository's root (`/` separators) and its text.
struct Source {
    path: String,
    text: String,
}

/// One broken rule: where, and what the rule says.
#[derive(Debug, PartialEq)]
struct Violation {
    path: String,
    line: usize,
    rule: &'static str,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir` (relative to the root), sorted.
fn rust_files(dir: &str) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join(dir), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| Source {
            text: std::fs::read_to_string(&path).unwrap(),
            path: path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/"),
        })
        .collect()
}

/// Whether `word` occurs in `line` as a whole identifier (so `acts_on_terminal` is no `unsafe`).
fn has_word(line: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        !line[..at].chars().next_back().is_some_and(ident) && !line[at + word.len()..].chars().next().is_some_and(ident)
    })
}

/// A name that may appear only in the files `allowed` says yes to: its first line elsewhere.
fn confined(
    source: &Source,
    rule: &'static str,
    found: impl Fn(&str) -> bool,
    allowed: impl Fn(&str) -> bool,
) -> Vec<Violation> {
    if allowed(&source.path) {
        return Vec::new();
    }
    source
        .text
        .lines()
        .enumerate()
        .filter(|(_, line)| found(line))
        .map(|(i, _)| Violation { path: source.path.clone(), line: i + 1, rule })
        .take(1)
        .collect()
}

fn paho_only_in_mqtt(s: &Source) -> Vec<Violation> {
    confined(s, "paho only under src/mqtt/", |l| l.contains("paho"), |p| p.starts_with("src/mqtt/"))
}

fn clap_only_in_cli_config_and_app(s: &Source) -> Vec<Violation> {
    let allowed = |p: &str| p == "src/cli.rs" || p == "src/app.rs" || p.starts_with("src/config/");
    confined(s, "clap only in src/cli.rs, src/app.rs and src/config/", |l| l.contains("clap"), allowed)
}

fn cli_types_go_no_further_than_config(s: &Source) -> Vec<Violation> {
    let allowed = |p: &str| p == "src/cli.rs" || p == "src/app.rs" || p.starts_with("src/config/");
    confined(s, "crate::cli only in src/app.rs and src/config/", |l| l.contains("crate::cli"), allowed)
}

/// The public part of the crate (the pipeline and what it stands on) names none of the program's
/// private modules: data flows one way, and the benchmarks and fuzz targets get the pipeline alone.
fn the_pipeline_reaches_no_higher_layer(s: &Source) -> Vec<Violation> {
    const PUBLIC: [&str; 6] =
        ["src/pipeline/", "src/status.rs", "src/style.rs", "src/visible.rs", "src/service.rs", "src/secret.rs"];
    const PRIVATE: [&str; 10] =
        ["app", "cli", "commands", "config", "duration", "exit", "mqtt", "signals", "simulator", "watch"];
    let found = |l: &str| PRIVATE.iter().any(|m| has_word(l, &format!("crate::{m}")));
    confined(s, "the pipeline imports no module of the program", found, |p| !PUBLIC.iter().any(|q| p.starts_with(q)))
}

fn process_exit_only_in_main(s: &Source) -> Vec<Violation> {
    confined(s, "process::exit only in src/main.rs", |l| l.contains("process::exit"), |p| p == "src/main.rs")
}

fn ratatui_only_in_watch(s: &Source) -> Vec<Violation> {
    let found = |l: &str| l.contains("ratatui") || l.contains("crossterm");
    confined(s, "ratatui and crossterm only under src/watch/", found, |p| p.starts_with("src/watch/"))
}

fn unsafe_only_in_mqtt(s: &Source) -> Vec<Violation> {
    confined(s, "unsafe only under src/mqtt/", |l| has_word(l, "unsafe"), |p| p.starts_with("src/mqtt/"))
}

/// Each `unsafe` in code (not in a comment) has a `// SAFETY:` in the comment lines right above it.
fn unsafe_says_why(s: &Source) -> Vec<Violation> {
    let lines: Vec<&str> = s.text.lines().collect();
    let mut violations = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if !has_word(code, "unsafe") {
            continue;
        }
        let said = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("//") || l.starts_with("#["))
            .any(|l| l.starts_with("// SAFETY:"));
        if !said {
            violations.push(Violation {
                path: s.path.clone(),
                line: i + 1,
                rule: "each unsafe with a // SAFETY: comment",
            });
        }
    }
    violations
}

/// The files a comment names by path (`docs/reliability.md`, `vendor/paho-mqtt.patch`,
/// `tests/hostile.rs`) or, for Markdown, by bare name (`guide.md`: at the root or in docs/).
fn cited_files(comment: &str) -> Vec<String> {
    const TOP: [&str; 10] = ["docs", "src", "tests", "vendor", "bench", "scripts", "pkg", "fuzz", "completions", ".ci"];
    const EXTENSIONS: [&str; 9] = [".md", ".rs", ".patch", ".service", ".conf", ".py", ".toml", ".c", ".h"];
    let part = |c: char| c.is_alphanumeric() || "_./-".contains(c);
    comment
        .split(|c: char| !part(c))
        .map(|token| token.trim_end_matches(['.', '-']))
        .filter(|token| EXTENSIONS.iter().any(|ext| token.ends_with(ext)))
        .filter(|token| match token.split_once('/') {
            Some((first, _)) => first == ".." || TOP.contains(&first),
            None => token.ends_with(".md"),
        })
        .map(str::to_owned)
        .collect()
}

/// The comment on a line: from the first `//` that is not inside a string literal.
fn comment_of(line: &str) -> Option<&str> {
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = in_string,
            '"' => in_string = !in_string,
            '/' if !in_string && line[at..].starts_with("//") => return Some(&line[at + 2..]),
            _ => {}
        }
    }
    None
}

fn cited_files_exist(s: &Source, exists: &dyn Fn(&str) -> bool) -> Vec<Violation> {
    let mut violations = Vec::new();
    for (i, line) in s.text.lines().enumerate() {
        let Some(comment) = comment_of(line) else { continue };
        for cited in cited_files(comment) {
            let found = if cited.starts_with("../") {
                false // outside the repository: a reader of the code has no such file
            } else if cited.contains('/') {
                exists(&cited)
            } else {
                exists(&cited) || exists(&format!("docs/{cited}"))
            };
            if !found {
                violations.push(Violation { path: s.path.clone(), line: i + 1, rule: "a file a comment cites exists" });
            }
        }
    }
    violations
}

fn in_tree(path: &str) -> bool {
    root().join(path).exists()
}

type Rule = fn(&Source) -> Vec<Violation>;

const SOURCE_RULES: [Rule; 8] = [
    paho_only_in_mqtt,
    the_pipeline_reaches_no_higher_layer,
    clap_only_in_cli_config_and_app,
    cli_types_go_no_further_than_config,
    process_exit_only_in_main,
    ratatui_only_in_watch,
    unsafe_only_in_mqtt,
    unsafe_says_why,
];

#[test]
fn the_architecture_rules_hold_in_src() {
    let violations: Vec<Violation> =
        rust_files("src").iter().flat_map(|s| SOURCE_RULES.iter().flat_map(|rule| rule(s))).collect();
    assert!(violations.is_empty(), "docs/architecture.md's rules broken: {violations:#?}");
}

#[test]
fn every_file_a_comment_cites_exists() {
    let mut sources = Vec::new();
    for dir in ["src", "tests", "bench", "fuzz/fuzz_targets"] {
        sources.extend(rust_files(dir));
    }
    sources.push(Source { path: "build.rs".into(), text: std::fs::read_to_string(root().join("build.rs")).unwrap() });
    let violations: Vec<Violation> = sources.iter().flat_map(|s| cited_files_exist(s, &in_tree)).collect();
    assert!(violations.is_empty(), "comments cite files the repository does not have: {violations:#?}");
}

fn planted(path: &str, text: &str) -> Source {
    Source { path: path.into(), text: text.into() }
}

#[test]
fn each_rule_catches_a_planted_violation_and_passes_its_owner() {
    // (rule, a file it forbids the line in, the file it allows it in, the line)
    let cases: [(Rule, &str, Option<&str>, &str); 8] = [
        (
            the_pipeline_reaches_no_higher_layer,
            "src/pipeline/engine.rs",
            Some("src/commands/subscribe.rs"),
            "use crate::mqtt::Outcome;",
        ),
        (paho_only_in_mqtt, "src/pipeline/engine.rs", Some("src/mqtt/client.rs"), "use paho_mqtt as mqtt;"),
        (clap_only_in_cli_config_and_app, "src/commands/check.rs", Some("src/config/account.rs"), "use clap::Parser;"),
        (
            cli_types_go_no_further_than_config,
            "src/simulator/mod.rs",
            Some("src/config/simulator.rs"),
            "use crate::cli::DemoArgs;",
        ),
        (process_exit_only_in_main, "src/commands/decode.rs", Some("src/main.rs"), "std::process::exit(3);"),
        (ratatui_only_in_watch, "src/commands/subscribe.rs", Some("src/watch/view.rs"), "use ratatui::Frame;"),
        (unsafe_only_in_mqtt, "src/visible.rs", Some("src/mqtt/ack.rs"), "// SAFETY: planted\nlet x = unsafe { f() };"),
        (unsafe_says_why, "src/mqtt/ack.rs", None, "// why not\nlet x = unsafe { f() };"),
    ];
    for (rule, elsewhere, owner, line) in cases {
        let caught = rule(&planted(elsewhere, line));
        assert_eq!(caught.len(), 1, "{elsewhere}: {line:?} not caught: {caught:?}");
        if let Some(owner) = owner {
            assert!(rule(&planted(owner, line)).is_empty(), "{owner} may hold {line:?}");
        }
    }
    // `unsafe` as part of a name, or in a comment, is no unsafe code.
    assert!(unsafe_only_in_mqtt(&planted("src/visible.rs", "fn is_unsafe_char() {}")).is_empty());
    assert!(unsafe_says_why(&planted("src/mqtt/mod.rs", "//! the only `unsafe` in the crate")).is_empty());
    assert!(unsafe_says_why(&planted("src/mqtt/ack.rs", "// SAFETY: reads a counter.\nunsafe { f() }")).is_empty());
}

#[test]
fn cited_files_are_found_by_path_or_bare_markdown_name() {
    let tree = |path: &str| ["docs/reliability.md", "README.md", "vendor/paho-mqtt.patch"].contains(&path);
    let check = |comment: &str| cited_files_exist(&planted("src/x.rs", comment), &tree).len();
    assert_eq!(check("// see docs/reliability.md, \"Chaos soak\"."), 0);
    assert_eq!(check("// (vendor/paho-mqtt.patch) and README.md"), 0);
    assert_eq!(check("// reliability.md says so"), 0, "a bare Markdown name is looked for in docs/ too");
    assert_eq!(check("// the rules (SPEC.md, last section)"), 1);
    assert_eq!(check("// see ../shared/SPEC.md"), 1, "outside the repository");
    assert_eq!(check("// tests/gone.rs and docs/gone.md"), 2);
    assert_eq!(check("// config.toml, /etc/sensoro-sub/prod.toml, async_client.rs:363"), 0, "not files of the tree");
    assert_eq!(check("let s = \"// docs/gone.md\";"), 0, "a string is no comment");
    assert_eq!(check("f(\"\\\"//\"); // docs/gone.md"), 1, "an escaped quote does not end the string");
}
