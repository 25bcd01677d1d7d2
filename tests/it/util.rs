//! Shared helpers: a temporary home for the store and index, and a way to
//! run the binary against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use breachdesk::config::{Settings, Sources};

/// The repository's bundled samples.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
}

/// A temporary store and index, removed when dropped.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            ("BREACHDESK__STORE__DATA_DIR".into(), self.path().join("data").display().to_string()),
            ("BREACHDESK__STORE__INDEX_DIR".into(), self.path().join("index").display().to_string()),
            ("BREACHDESK__INGEST__SAMPLES_DIR".into(), samples_dir().display().to_string()),
        ]
    }

    /// The binary, pointed at this home, run from the temporary folder (so
    /// no `config/local.toml` of the developer's is read).
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_breachdesk"));
        c.current_dir(self.path()).env_remove("RUST_LOG");
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Run with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.cmd();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(args).output().unwrap()
    }

    /// The settings the binary sees.
    pub fn settings(&self) -> Settings {
        Settings::load(&Sources { file: None, local_dir: None, env: self.env() }).unwrap()
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Write `n` distinct synthetic articles into `dir`; article `i` carries the
/// unique word `tokenNNNNN`.
pub fn write_articles(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = format!(
            "Title: Synthetic report {i}\n\nInvestigators said intrusion number {i} at plant {} used the marker token{i:05} on its servers. The operator said systems were restored after {} days.\n",
            i % 97,
            i % 13 + 1
        );
        std::fs::write(dir.join(format!("a{i:05}.txt")), text).unwrap();
    }
}
