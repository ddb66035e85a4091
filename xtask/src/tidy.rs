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
}
