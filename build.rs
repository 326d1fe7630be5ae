//! Joins each language's message catalogue files (`locales/LANG/*.ftl`, in name order) into
//! one, compiled into the binary by `src/messages.rs`. Each part of gongyu keeps its
//! messages in a file of its own.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for lang in ["zh", "en"] {
        let dir = Path::new("locales").join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.expect("a catalogue file").path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut joined = String::new();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("reading {}: {e}", f.display()));
            joined.push_str(&text);
            if !joined.ends_with('\n') {
                joined.push('\n');
            }
        }
        std::fs::write(Path::new(&out).join(format!("{lang}.ftl")), joined).expect("writing the joined catalogue");
    }
}
