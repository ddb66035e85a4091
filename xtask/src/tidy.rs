//! Project checks that run as tests: conventions no compiler enforces.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use crate::shell::project_root;

    fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.flatten().map(|e| e.path()) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() && name != "target" && name != "node_modules" {
                rust_files(&path, found);
            } else if name.ends_with(".rs") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_rust_file_starts_with_a_module_doc() {
        let root = project_root();
        let mut files = Vec::new();
        for dir in ["src", "tests", "crates", "xtask", "firmware", "fuzz"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 10, "the walk found the sources");
        let undocumented: Vec<_> = files
            .iter()
            .filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!"))
            .map(|f| f.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert!(
            undocumented.is_empty(),
            "add a `//!` line saying what each is for: {undocumented:?}"
        );
    }

    #[test]
    fn every_source_file_is_named_in_the_code_map() {
        let root = project_root();
        let map = std::fs::read_to_string(root.join("docs/ARCHITECTURE.md")).unwrap();
        let mut files = Vec::new();
        rust_files(&root.join("src"), &mut files);
        rust_files(&root.join("xtask/src"), &mut files);
        rust_files(&root.join("firmware/board/src"), &mut files);
        for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
            rust_files(&krate.path().join("src"), &mut files);
        }
        assert!(files.len() > 20, "the walk found the sources");
        // A file is named by its file name; a `mod.rs` by its folder ("learn/"), and a
        // crate's `lib.rs` or `main.rs` by the crate's section.
        let unnamed: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(&root).unwrap().to_path_buf())
            .filter(|f| {
                let name = f.file_name().unwrap().to_string_lossy().to_string();
                let folder = f.parent().unwrap();
                let named = match name.as_str() {
                    "mod.rs" => format!("{}/", folder.file_name().unwrap().to_string_lossy()),
                    "lib.rs" | "main.rs" => folder.parent().unwrap().display().to_string(),
                    _ => name,
                };
                !map.contains(&named)
            })
            .map(|f| f.display().to_string())
            .collect();
        assert!(
            unnamed.is_empty(),
            "name each in docs/ARCHITECTURE.md's code map: {unnamed:?}"
        );
    }
}
