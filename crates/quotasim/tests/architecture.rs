//! The house: docs/model.md, the crate's module table in lib.rs and the modules map one
//! to one, each module cites its current section, no module imports another in a cycle,
//! and docs/parameters.md is the registry as it stands.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The folders that group the modules (`src/mechanisms/`, ...): each declares its
/// modules in its `mod.rs`, and lib.rs re-exports them by their one-word names.
const FOLDERS: [&str; 4] = ["mechanisms", "setup", "analysis", "observe"];

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The modules the crate declares (`pub mod x;` in lib.rs and in each folder's
/// mod.rs), the folders themselves left out.
fn declared() -> BTreeSet<String> {
    let mut files = vec![src().join("lib.rs")];
    files.extend(FOLDERS.iter().map(|f| src().join(f).join("mod.rs")));
    files
        .iter()
        .flat_map(|f| {
            read(f)
                .lines()
                .filter_map(|l| l.strip_prefix("pub mod "))
                .map(|l| l.trim_end_matches(';').to_string())
                .collect::<Vec<_>>()
        })
        .filter(|m| !FOLDERS.contains(&m.as_str()))
        .collect()
}

/// The file of module `m`: `src/m.rs` or `src/<folder>/m.rs`.
fn file_of(m: &str) -> PathBuf {
    std::iter::once(src())
        .chain(FOLDERS.iter().map(|f| src().join(f)))
        .map(|d| d.join(format!("{m}.rs")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no file for module {m} under src/"))
}

#[test]
fn every_mechanism_lives_in_mechanisms_and_lib_rs_reexports_every_module() {
    // A module docs/model.md names under section 7 (a mechanism) lives in the folder of
    // mechanisms; every module of a folder keeps its one-word path.
    for (section, modules) in model_table() {
        for m in modules {
            let folder = file_of(&m)
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            if section.starts_with("7.")
                && ![
                    "rng",
                    "ensemble",
                    "scenario",
                    "parameters",
                    "declare",
                    "events",
                    "plan",
                    "overlay",
                    "assumptions",
                ]
                .contains(&m.as_str())
            {
                assert_eq!(
                    folder, "mechanisms",
                    "{m}.rs (docs/model.md {section}) is not in src/mechanisms/"
                );
            }
        }
    }
    let lib = read(&src().join("lib.rs"));
    for m in declared() {
        let top = src().join(format!("{m}.rs")).is_file();
        assert!(
            top || lib.contains(&format!(" {m},"))
                || lib.contains(&format!("{{{m},"))
                || lib.contains(&format!(" {m}}}")),
            "lib.rs does not re-export {m} by its name"
        );
    }
}

/// A table row's section number and modules: `| 7.4 The quota | `quota.rs` |` in
/// docs/model.md, `//! | 7.4 The quota | [`quota`] |` in lib.rs.
fn row(line: &str) -> (String, Vec<String>) {
    let cells: Vec<&str> = line
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let section = cells[0]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('.');
    let modules = cells[1]
        .split(',')
        .map(|m| {
            m.trim()
                .trim_matches(|c| c == '`' || c == '[' || c == ']')
                .trim_end_matches(".rs")
                .to_string()
        })
        .collect();
    (section.to_string(), modules)
}

/// docs/model.md's table: section -> modules.
fn model_table() -> Vec<(String, Vec<String>)> {
    let text = read(&root().join("docs/model.md"));
    let start = text
        .find("| ODD section | module |")
        .expect("the ODD table");
    text[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(row)
        .collect()
}

/// lib.rs's table: section -> modules.
fn lib_table() -> Vec<(String, Vec<String>)> {
    read(&src().join("lib.rs"))
        .lines()
        .filter_map(|l| l.strip_prefix("//! | "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(row)
        .collect()
}

/// Modules that are machinery, not a mechanism of docs/model.md.
const MACHINERY: [&str; 11] = [
    "types",
    "paths",
    "reach",
    "source",
    "loader",
    "edit",
    "adjust",
    "reference",
    "compare",
    "attribution",
    "lib",
];

#[test]
fn model_md_and_lib_rs_name_the_same_modules_by_the_same_sections() {
    assert_eq!(model_table(), lib_table());
}

#[test]
fn every_module_model_md_names_exists_and_every_mechanism_module_is_named() {
    let declared = declared();
    let named: BTreeSet<String> = model_table().into_iter().flat_map(|(_, m)| m).collect();
    for m in &named {
        assert!(
            declared.contains(m),
            "docs/model.md names {m}.rs, which lib.rs does not declare"
        );
        assert!(file_of(m).is_file(), "no file for {m}");
    }
    for m in &declared {
        assert!(
            named.contains(m) || MACHINERY.contains(&m.as_str()),
            "{m}.rs is neither named in docs/model.md nor listed as machinery"
        );
    }
    // The machinery is listed in docs/model.md too.
    let text = read(&root().join("docs/model.md"));
    for m in MACHINERY.iter().filter(|m| **m != "lib") {
        assert!(
            text.contains(&format!("`{m}.rs`")),
            "docs/model.md does not mention {m}.rs"
        );
    }
}

#[test]
fn every_mechanism_module_cites_its_current_section() {
    let headings: BTreeSet<String> = read(&root().join("docs/model.md"))
        .lines()
        .filter(|l| l.starts_with("### ") || l.starts_with("#### "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(|n| n.trim_end_matches('.').to_string())
        .collect();
    for (section, modules) in model_table() {
        assert!(
            headings.contains(&section),
            "docs/model.md has no heading {section}"
        );
        for m in modules {
            let head: String = read(&file_of(&m))
                .lines()
                .take(4)
                .map(|l| l.trim_start_matches("//!").trim())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                head.contains(&format!("docs/model.md {section}")),
                "{m}.rs does not cite docs/model.md {section} in its first lines: {head}"
            );
        }
    }
}

/// `crate::x` references of each module, outside its tests.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let declared = declared();
    declared
        .iter()
        .map(|m| {
            let text = read(&file_of(m));
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut uses = BTreeSet::new();
            // A module's path names its folder first (`crate::mechanisms::detention`).
            let unfold = |t: &str| -> String {
                let t = t.trim();
                FOLDERS
                    .iter()
                    .find_map(|f| t.strip_prefix(&format!("{f}::")))
                    .unwrap_or(t)
                    .to_string()
            };
            for (i, _) in code.match_indices("crate::") {
                let unfolded = unfold(&code[i + 7..]);
                let rest = unfolded.as_str();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if declared.contains(&name) && name != *m {
                    uses.insert(name);
                }
                // `use crate::{a, b::c}`
                if rest.starts_with('{') {
                    let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
                    for part in group.split(',') {
                        let part = unfold(part);
                        let n = part.split("::").next().unwrap_or("").trim();
                        if declared.contains(n) && n != m {
                            uses.insert(n.to_string());
                        }
                    }
                }
            }
            (m.clone(), uses)
        })
        .collect()
}

#[test]
fn no_module_imports_another_in_a_cycle() {
    let graph = imports();
    // Depth-first search; a module met again on the current path closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    // The engine only sequences: it is the one module that calls every mechanism.
    let engine = &graph["engine"];
    for m in [
        "jails",
        "court",
        "flows",
        "quota",
        "manager",
        "channels",
        "capacity",
        "detention",
    ] {
        assert!(engine.contains(m), "engine does not call {m}");
    }
}

#[test]
fn docs_parameters_md_is_the_registry_as_it_stands() {
    let path = root().join("docs/parameters.md");
    let want = quotasim::reference::markdown();
    if std::env::var_os("QUOTASIM_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/parameters.md is stale: regenerate it with `quotasim scenario params --markdown > docs/parameters.md` (or QUOTASIM_BLESS=1 cargo test -p quotasim --test architecture)"
    );
}

/// Checks (or, with QUOTASIM_BLESS set, writes) the table of docs/outputs.md that
/// starts with `header` under the section `section`: it must be `want`.
fn generated_table(section: &str, header: &str, want: &str) {
    // Two tables share the file: with QUOTASIM_BLESS, tests run in parallel would each
    // read it, write their own table and undo the other's.
    static FILE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _held = FILE.lock().unwrap_or_else(|e| e.into_inner());
    let path = root().join("docs/outputs.md");
    let have = read(&path);
    let at = have.find(section).expect("the section");
    let start = at + have[at..].find(header).expect("its table");
    let end = start
        + have[start..]
            .find("\n\n")
            .map_or(have.len() - start, |e| e + 1);
    if std::env::var_os("QUOTASIM_BLESS").is_some() {
        std::fs::write(&path, format!("{}{want}{}", &have[..start], &have[end..])).unwrap();
        return;
    }
    assert!(
        have[start..end] == *want,
        "docs/outputs.md's table under {section:?} is stale: regenerate it with QUOTASIM_BLESS=1 cargo test -p quotasim --test architecture"
    );
}

#[test]
fn docs_outputs_md_lists_every_summary_key_as_declared() {
    // The table under "Summary keys" is made from quotasim::summary::KEYS.
    generated_table(
        "## Summary keys (`summary.json`)",
        "| key | unit | meaning |",
        &quotasim::summary::outputs_markdown(),
    );
}

#[test]
fn docs_outputs_md_lists_every_daily_column_as_declared() {
    // The table under "Daily columns" is made from quotasim::daily::daily_columns.
    generated_table(
        "## Daily columns",
        "| column | unit | meaning |",
        &quotasim::daily::daily_columns_markdown(),
    );
}

/// The library crates: what they say is worded for every front, so no message names a
/// command-line flag (each front words its own errors).
const LIBRARIES: &[&str] = &[
    "quotasim",
    "quotasim-calibrate",
    "quotasim-observed",
    "quotasim-sweep",
    "quotasim-solve",
    "quotasim-report",
    "quotasim-request",
];

/// The flags a string literal names: `--word` inside quotes, outside comments.
fn flags_in(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        // The text inside double quotes on this line.
        for (i, part) in line.split('"').enumerate() {
            if i % 2 == 0 {
                continue;
            }
            let mut rest = part;
            while let Some(at) = rest.find("--") {
                let after = &rest[at + 2..];
                if after.starts_with(|c: char| c.is_ascii_lowercase()) {
                    let word: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                        .collect();
                    found.push(format!("--{word}"));
                }
                rest = after;
            }
        }
    }
    found
}

#[test]
fn no_library_message_names_a_command_line_flag() {
    let mut named = Vec::new();
    for lib in LIBRARIES {
        let dir = root().join("crates").join(lib).join("src");
        let files = rust_files(&dir);
        for f in files {
            let text = read(&f);
            // Tests may run the command with its flags.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for flag in flags_in(code) {
                // The resolved scenario's opening comment names the command that made it.
                if flag == "--resolved" {
                    continue;
                }
                named.push(format!("{}: {flag}", f.display()));
            }
        }
    }
    assert!(named.is_empty(), "library messages name flags: {named:#?}");
    // A front never rewrites another's words.
    let py = read(&root().join("crates/quotasim-py/src/lib.rs"))
        + &read(&root().join("python/quotasim/__init__.py"));
    assert!(
        !py.contains(".replace(\"--"),
        "a front rewrites a flag's name"
    );
}

#[test]
fn the_flag_finder_finds_a_flag_in_a_message_and_none_in_a_comment() {
    assert_eq!(flags_in("err(\"give --vary K\")"), ["--vary"]);
    assert!(flags_in("// use --vary\nlet x = a--b;").is_empty());
}
