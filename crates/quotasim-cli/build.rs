//! Embeds the dashboard's static folder, `dist/` at the workspace root (built by
//! scripts/build-web.sh), into the binary for `quotasim dashboard`. Without that folder
//! the command still builds, and `quotasim dashboard` says how to build the page.
//! Text and WebAssembly files are also embedded gzipped (best compression), for
//! browsers that accept it.

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

/// Whether a file is worth serving gzipped (text and WebAssembly; images are already
/// compressed).
fn compressible(name: &str) -> bool {
    matches!(
        name.rsplit_once('.').map(|(_, ext)| ext),
        Some("html" | "js" | "css" | "json" | "map" | "wasm" | "toml" | "svg" | "txt")
    )
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dist = manifest.join("../../dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut list = Vec::new();
    files(&dist, &dist, &mut list);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let mut code = String::from(
        "/// A dashboard file: its path in dist/, its contents, and them gzipped if worth it.\npub type File = (&'static str, &'static [u8], Option<&'static [u8]>);\n/// The dashboard's files.\npub static FILES: &[File] = &[\n",
    );
    for (i, (name, path)) in list.iter().enumerate() {
        let gz = compressible(name).then(|| {
            use std::io::Write as _;
            let bytes = std::fs::read(path).expect("a file of dist/ is readable");
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(&bytes).expect("in memory");
            let gz = out_dir.join(format!("dashboard_{i}.gz"));
            std::fs::write(&gz, e.finish().expect("in memory")).expect("OUT_DIR is writable");
            gz
        });
        let gz = match gz {
            Some(p) => format!("Some(include_bytes!({:?}))", p.display().to_string()),
            None => "None".into(),
        };
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?}), {gz}),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("dashboard_files.rs"), code).expect("OUT_DIR is writable");
}
