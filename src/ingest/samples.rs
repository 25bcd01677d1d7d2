//! The bundled sample articles, compiled into the binary so that a new
//! user's first command has something to answer from in any folder.
//! `data/samples/` holds the same files; a test keeps the two in step.

use super::{Format, IngestError, Loaded, from_bytes};
use crate::model::Scope;

/// Where the samples live in the repository, and the default of
/// `ingest.samples_dir`.
pub const FOLDER: &str = "data/samples";

/// (file name, contents) of each sample, in name order.
pub const FILES: &[(&str, &[u8])] = &[
    ("change-healthcare-alphv.md", include_bytes!("../../data/samples/change-healthcare-alphv.md")),
    ("colonial-pipeline-darkside.md", include_bytes!("../../data/samples/colonial-pipeline-darkside.md")),
    ("lockbit-operation-cronos.txt", include_bytes!("../../data/samples/lockbit-operation-cronos.txt")),
    ("mgm-resorts-scattered-spider.html", include_bytes!("../../data/samples/mgm-resorts-scattered-spider.html")),
    (
        "midnight-blizzard-microsoft-executives.md",
        include_bytes!("../../data/samples/midnight-blizzard-microsoft-executives.md"),
    ),
    ("moveit-cl0p-mass-exploitation.md", include_bytes!("../../data/samples/moveit-cl0p-mass-exploitation.md")),
    ("salt-typhoon-fbi-cisa-update.md", include_bytes!("../../data/samples/salt-typhoon-fbi-cisa-update.md")),
    ("salt-typhoon-us-telecoms.txt", include_bytes!("../../data/samples/salt-typhoon-us-telecoms.txt")),
    ("storm-0558-exchange-online.md", include_bytes!("../../data/samples/storm-0558-exchange-online.md")),
    ("volt-typhoon-kv-botnet.md", include_bytes!("../../data/samples/volt-typhoon-kv-botnet.md")),
];

/// The samples, cleaned and ready to store, each shown as
/// `data/samples/NAME`.
pub fn load(scope: Scope, max_bytes: u64) -> Vec<Result<Loaded, IngestError>> {
    FILES
        .iter()
        .map(|(name, bytes)| {
            let label = format!("{FOLDER}/{name}");
            let format = Format::from_name(name).ok_or_else(|| IngestError::Unsupported(label.clone()))?;
            from_bytes(bytes, format, &label, format!("sample:{name}"), scope, max_bytes)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_samples_are_the_folder_s_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER);
        let mut on_disk: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
            .collect();
        on_disk.sort();
        let compiled: Vec<(String, Vec<u8>)> = FILES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        assert_eq!(compiled, on_disk, "add or remove the file in src/ingest/samples.rs too");
    }

    #[test]
    fn every_sample_loads() {
        for loaded in load(Scope::Global, 5 << 20) {
            let l = loaded.unwrap();
            assert!(l.doc.source.starts_with("data/samples/") || l.doc.source.starts_with("http"), "{}", l.doc.source);
            assert!(!l.doc.paragraphs.is_empty());
        }
    }
}
