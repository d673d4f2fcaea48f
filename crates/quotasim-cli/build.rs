//! Embeds the dashboard's static folder, `dist/` at the workspace root (built by
//! scripts/build-web.sh), into the binary for `quotasim dashboard`. Without that folder
//! the command still builds, and `quotasim dashboard` says how to build the page.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let name = rel.to_string_lossy().replace('\\', "/");
            out.push((name, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dist = manifest.join("../../dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut list = Vec::new();
    files(&dist, &dist, &mut list);
    let mut code = String::from(
        "/// The dashboard's files: (path in dist/, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &list {
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("dashboard_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
