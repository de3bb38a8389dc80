//! Compiles the dictionary sources under `dicts/` into a compact blob embedded in the binary. A broken
//! entry fails the build with its file and line.

#[path = "src/source.rs"]
#[allow(dead_code)]
mod source;

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut files = Vec::new();
    for sub in ["actors", "events", "quotes"] {
        let dicts = manifest.join("../../dicts").join(sub);
        println!("cargo:rerun-if-changed={}", dicts.display());
        collect(&dicts, &mut files);
    }
    let mut sources = Vec::new();
    let mut hash = source::FNV_START;
    let mut versions = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let rel = f
            .strip_prefix(manifest.join("../.."))
            .unwrap_or(f)
            .display()
            .to_string();
        let rel = rel.trim_start_matches("../../").to_string();
        match source::parse(&rel, &text) {
            Ok(s) => {
                hash = source::fnv1a(rel.as_bytes(), hash);
                hash = source::fnv1a(text.as_bytes(), hash);
                versions.push(s.header.version.clone());
                sources.push(s);
            }
            Err(e) => panic!("dictionary error: {e}"),
        }
    }
    versions.sort();
    let version = format!(
        "{}+{:08x}",
        versions.last().cloned().unwrap_or_else(|| "0".into()),
        hash >> 32
    );
    let blob = postcard::to_stdvec(&sources).expect("serialise dictionaries");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("dicts.bin"), blob).unwrap();
    std::fs::write(out.join("dicts.version"), version).unwrap();
}
