//! A crash between store and index loses nothing and doubles nothing.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use breachdesk::engine::Engine;
use breachdesk::model::Viewer;

use crate::util::{Home, write_articles};

const N: usize = 1200;

#[test]
fn sigkill_mid_ingest_then_rerun_leaves_store_and_index_consistent() {
    let home = Home::new();
    let input = home.path().join("articles");
    write_articles(&input, N);

    // Start an ingest and kill it (SIGKILL) as soon as it reports that a
    // batch is in the store, before the index has committed anything.
    let mut child = home
        .cmd()
        .env("BREACHDESK__LOG__LEVEL", "info")
        .args(["ingest", input.to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut saw_batch = false;
    for line in BufReader::new(stderr).lines() {
        if line.unwrap().contains("stored batch") {
            saw_batch = true;
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(saw_batch, "the ingest never reported a stored batch");
    assert!(!status.success(), "the ingest finished before it was killed");

    {
        let engine = Engine::open(&home.settings()).unwrap();
        let stored = engine.store().count().unwrap();
        assert!(stored > 0 && stored < N, "killed part-way: {stored} of {N} stored");
        assert_eq!(engine.index().num_docs() as usize, stored, "opening caught the index up");
    }

    // Run again to completion.
    let out = home.run(&["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let engine = Engine::open(&home.settings()).unwrap();
    assert_eq!(engine.store().count().unwrap(), N, "no document lost or doubled in the store");
    assert_eq!(engine.index().num_docs() as usize, N, "no document lost or doubled in the index");
    for i in (0..N).step_by(97) {
        let q = engine.index().parse(&format!("token{i:05}")).unwrap();
        let hits = engine.index().search(&*q, Viewer::Public, 0, 5).unwrap();
        assert_eq!(hits.total, 1, "article {i} found {} times", hits.total);
    }
}
