//! The shape of the code, checked: no source file over 400 lines outside its tests, and no import
//! cycle among the modules of any crate (a module may use its ancestors and descendants; among
//! the others, `use` edges must form no cycle). Functions over 80 lines are clippy's
//! `too_many_lines` (each crate root warns on it, `clippy.toml` sets 80).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// The workspace's crates with code of their own.
const CRATES: [&str; 13] = [
    "verifier", "circuits", "prover", "ceremony", "anchors", "evm", "mef141", "check", "service", "cli",
    "testkit", "tests", "fuzz",
];

/// Lines a source file may have before its `#[cfg(test)]` module.
const MAX_LINES: usize = 400;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The source before the first `#[cfg(test)]`.
fn code(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

#[test]
fn no_source_file_is_over_400_lines_outside_its_tests() {
    let mut long = Vec::new();
    for c in CRATES {
        let mut files = Vec::new();
        rust_files(&root().join(c).join("src"), &mut files);
        assert!(!files.is_empty(), "{c}/src has no Rust files");
        // A `tests.rs` is a `#[cfg(test)] mod tests;` of its own: all of it is tests.
        for f in files.into_iter().filter(|f| !f.ends_with("tests.rs")) {
            let text = fs::read_to_string(&f).expect("readable");
            let n = code(&text).lines().count();
            if n > MAX_LINES {
                long.push(format!(
                    "{} ({n} lines)",
                    f.strip_prefix(root()).unwrap_or(&f).display()
                ));
            }
        }
    }
    assert!(long.is_empty(), "source files over {MAX_LINES} lines: {long:#?}");
}

/// A module's path (`["cmd", "verify"]`) from its file under `src`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// The code without comments (doc comments name modules too, without importing them).
fn strip_comments(code: &str) -> String {
    code.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` -> `["a::b", "a::c::d", "a::c::e"]` (no white space in `tree`).
fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    // A "use " inside a string literal can start a tree whose braces do not pair up.
    let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
    let (head, inner) = (&tree[..open], &tree[open + 1..close]);
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |e| format!("{head}{e}")))
        .collect()
}

/// The paths a file's code names: every `use` tree flattened, and every path elsewhere.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let starts_statement = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == ';' || c == ')');
        let after = &rest[i + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if starts_statement {
            let tree: String = after[..end].chars().filter(|c| !c.is_whitespace()).collect();
            out.extend(expand(&tree));
        } else {
            out.extend(inline(&rest[..i + 4]));
        }
        rest = &after[end..];
    }
    out.extend(inline(rest));
    out
}

/// The paths named outside `use` statements.
fn inline(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(prefix) {
            if code[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            {
                continue;
            }
            let path: String = code[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path);
        }
    }
    out
}

/// The modules a file (module `here`) refers to through `crate::`, `super::` or `self::`,
/// resolved to the longest known module (so `crate::load::msa` is `load`).
fn references(text: &str, here: &[String], known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for path in paths(&strip_comments(code(text))) {
        let mut segments = path.split("::").filter(|s| !s.is_empty());
        let mut full = match segments.next() {
            Some("crate") => Vec::new(),
            Some("super") => here[..here.len().saturating_sub(1)].to_vec(),
            Some("self") => here.to_vec(),
            _ => continue,
        };
        for s in segments {
            match s {
                "super" => {
                    full.pop();
                }
                s => full.push(s.to_string()),
            }
        }
        while !full.is_empty() && !known.contains(&full) {
            full.pop();
        }
        out.insert(full);
    }
    out
}

fn related(a: &[String], b: &[String]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// A cycle in `edges`, if there is one.
fn cycle(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        n: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(1) => {
                    let from = stack.iter().position(|x| x == m).unwrap_or(0);
                    return Some(stack[from..].iter().map(|x| x.join("::")).collect());
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_crate_has_an_import_cycle_among_its_modules() {
    let mut cycles = Vec::new();
    for c in CRATES {
        let src = root().join(c).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: Vec<(Vec<String>, PathBuf)> =
            files.iter().map(|f| (module_path(&src, f), f.clone())).collect();
        let known: BTreeSet<Vec<String>> = modules.iter().map(|(m, _)| m.clone()).collect();
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (m, f) in &modules {
            let text = fs::read_to_string(f).expect("readable");
            let to: BTreeSet<Vec<String>> = references(&text, m, &known)
                .into_iter()
                .filter(|t| !related(m, t))
                .collect();
            edges.insert(m.clone(), to);
        }
        if let Some(cycle) = cycle(&edges) {
            cycles.push(format!("{c}: {}", cycle.join(" -> ")));
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

/// The checker can fail: a cycle is found, and an ancestor is not one.
#[test]
fn the_cycle_check_finds_a_cycle() {
    let m = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    let mut edges = BTreeMap::new();
    edges.insert(m("a"), BTreeSet::from([m("b")]));
    edges.insert(m("b"), BTreeSet::from([m("c")]));
    edges.insert(m("c"), BTreeSet::from([m("a")]));
    assert!(cycle(&edges).is_some());
    edges.insert(m("c"), BTreeSet::new());
    assert!(cycle(&edges).is_none());
    let known = BTreeSet::from([m("cmd"), m("cmd::verify"), m("load"), Vec::new()]);
    let text = "use crate::{\n    load::msa,\n    cmd::{verify::run, x},\n};\n// crate::cmd::prove\nfn f() { super::verify::g() }";
    let refs = references(text, &m("cmd::prove"), &known);
    assert_eq!(refs, BTreeSet::from([m("load"), m("cmd::verify"), m("cmd")]));
    assert!(related(&m("cmd::prove"), &m("cmd")));
    assert!(!related(&m("cmd::prove"), &m("cmd::verify")));
}
