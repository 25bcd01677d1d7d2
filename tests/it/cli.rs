//! The commands a user runs, as they run them.

use crate::util::{Home, samples_dir, stderr, stdout};

#[test]
fn ask_on_an_empty_store_answers_from_the_samples_with_citations() {
    let home = Home::new();
    let out = home.run(&["ask", "/breach summary salt typhoon"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(stderr(&out).contains("ingested the bundled samples"));
    // The summary's sentences come before the related campaigns.
    let (summary, related) = text.split_once("Related campaigns").expect("a related-campaigns section");
    let bullets: Vec<&str> = summary.lines().filter(|l| l.starts_with("  - ")).collect();
    assert!((3..=6).contains(&bullets.len()), "{text}");
    let header = text.lines().nth(1).unwrap_or_default();
    for victim in ["AT&T", "Verizon", "Lumen"] {
        assert!(header.contains(victim), "{victim} missing from the header: {header}");
    }
    let volt = related.lines().find(|l| l.contains("Volt Typhoon")).expect("Volt Typhoon is related");
    assert!(volt.contains("same sponsor: China"), "{volt}");
    for b in &bullets {
        assert!(b.trim_end().ends_with(']'), "uncited line: {b}");
    }
    for fact in ["AT&T", "wiretap"] {
        assert!(text.contains(fact), "`{fact}` missing from:\n{text}");
    }
    // The unrelated teaser after the article never becomes part of it.
    for teaser in ["tall ships", "Harbour festival", "lighthouse", "Skip to content"] {
        assert!(!text.contains(teaser), "`{teaser}` leaked into:\n{text}");
    }
    let sources: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with('[')).collect();
    assert!(!sources.is_empty());
    for s in sources {
        assert!(s.contains("salt-typhoon-"), "citation to a non-Salt-Typhoon sample: {s}");
    }
}

#[test]
fn ask_for_an_actor_without_incidents_shows_its_card_not_another_actors_story() {
    let home = Home::new();
    let out = home.run(&["ask", "/breach summary Flax Typhoon"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.starts_with("Summary"), "{text}");
    assert!(text.contains("No incident here is attributed to `Flax Typhoon`"), "{text}");
    assert!(text.contains("Ethereal Panda"), "the knowledge base's card is shown:\n{text}");
    assert!(text.contains("Did you mean"), "{text}");
    // No article has both words: nothing is quoted under the name.
    assert!(!text.contains("Articles that mention the words"), "{text}");
    assert!(!text.contains("wiretap"), "{text}");
    let out = home.run(&["ask", "/breach summary Lantern Quokka"]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("No incident, known actor or article matches `Lantern Quokka`"), "{}", stdout(&out));
}

#[test]
fn ask_cites_the_paragraph_that_names_a_related_actor() {
    let home = Home::new();
    let dir = home.path().join("stories");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("resort.txt"),
        "Title: Resort chain breached\nPublished: 2024-03-01\n\nScattered Spider breached Fabrikam Resorts, the company said. Slot machines stopped working. Room keys failed for three days. Guests waited in long lines at the front desk.\n\nThe resort restored its booking site on Monday.\n\nResearchers noted overlaps between this intrusion and earlier ALPHV attacks on hotels.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("clinics.txt"),
        "Title: Clinic network encrypted\nPublished: 2024-02-20\n\nBlackCat encrypted the servers of Contoso Clinics, the clinics said.\n",
    )
    .unwrap();
    let out = home.run(&["ingest", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home.run(&["ask", "/breach summary scattered spider"]);
    let text = stdout(&out);
    let line =
        text.lines().find(|l| l.contains("BlackCat") && l.contains("named in [")).unwrap_or_else(|| panic!("{text}"));
    let n = line.split("named in [").nth(1).and_then(|x| x.split(']').next()).unwrap();
    let source = text.lines().find(|l| l.trim_start().starts_with(&format!("[{n}]"))).expect("the cited source");
    assert!(source.contains("Resort chain breached (paragraph 3,"), "{source}\n{text}");
}

#[cfg(unix)]
#[test]
fn a_reader_that_stops_early_is_not_a_failure() {
    use std::io::Read;
    let home = Home::new();
    let samples: Vec<String> =
        std::fs::read_dir(samples_dir()).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    // Four times the samples write more than a pipe holds, so the writer
    // is still writing when the reader hangs up.
    let mut child = home
        .cmd()
        .args(["extract", "--jsonl"])
        .args(samples.iter().cycle().take(samples.len() * 4))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, as `| head -c1` would.
    let mut out = child.stdout.take().unwrap();
    out.read_exact(&mut [0u8; 1]).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

#[test]
fn flags_and_arguments_have_help() {
    let home = Home::new();
    for (args, want) in [
        (["poll", "--help"], "--once           Poll every feed once"),
        (["ask", "--help"], "The command as typed in chat"),
        (["extract", "--help"], "Files (.txt, .md, .html) or folders of them"),
        (["ingest", "--help"], "Files, folders (recursively) or http(s) addresses"),
    ] {
        let out = home.run(&args);
        assert!(stdout(&out).contains(want), "{args:?}: {}", stdout(&out));
    }
}

#[test]
fn ask_exit_status_is_chosen_by_the_answer_not_its_title() {
    let home = Home::new();
    assert_eq!(home.run(&["ask", "/help"]).status.code(), Some(0));
    assert_eq!(home.run(&["ask", "/breach summary salt typhoon"]).status.code(), Some(0));
    let out = home.run(&["ask", "/breach search typhoon page:99"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("No such page\nThere is only 1 page for `typhoon`."), "{}", stdout(&out));
    assert_eq!(home.run(&["ask", "/breach nonsense"]).status.code(), Some(1));
}

#[test]
fn ask_works_from_any_folder_with_the_compiled_samples() {
    let home = Home::new();
    // The default samples folder, relative to a working folder that has none.
    let out =
        home.run_env(&["ask", "/breach summary salt typhoon"], &[("BREACHDESK__INGEST__SAMPLES_DIR", "data/samples")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("ingested the bundled samples (10 added"), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Summary: Salt Typhoon"), "{text}");
    assert!(text.contains("data/samples/salt-typhoon-"), "{text}");
    // A one-shot command logs no INFO lines unless asked, and a fresh store
    // announces no change of knowledge base.
    assert!(!stderr(&out).contains("INFO"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("knowledge base changed"), "{}", stderr(&out));
    let out = home.run(&["-v", "ask", "/breach summary salt typhoon"]);
    assert!(stderr(&out).contains("INFO") && stderr(&out).contains("knowledge base loaded"), "{}", stderr(&out));
}

#[test]
fn a_samples_folder_set_in_config_must_exist() {
    let home = Home::new();
    let missing = home.path().join("no-such-samples");
    let out =
        home.run_env(&["ask", "/breach summary"], &[("BREACHDESK__INGEST__SAMPLES_DIR", missing.to_str().unwrap())]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("the samples folder {} (ingest.samples_dir) does not exist", missing.display())),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn folder_ingest_skips_links_out_of_the_folder_and_names_other_files() {
    let home = Home::new();
    let outside = home.path().join("secret.txt");
    std::fs::write(&outside, "Title: Secret\n\nThe vault code is 4417 and nobody outside may read it.\n").unwrap();
    let dir = home.path().join("drop");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("story.txt"),
        "Title: Harbor notes\n\nThe harbor master said cranes were idle on Friday.\n",
    )
    .unwrap();
    std::fs::write(dir.join("scan.pdf"), b"%PDF-1.4").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("link.txt")).unwrap();
    // A link that stays inside the folder is followed.
    std::os::unix::fs::symlink(dir.join("story.txt"), dir.join("sub").join("again.txt")).unwrap();
    let out = home.run(&["ingest", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(err.contains("link.txt: a link to") && err.contains("outside the folder being ingested"), "{err}");
    assert!(err.contains("scan.pdf: unsupported file type"), "{err}");
    assert_eq!(err.matches("scan.pdf").count(), 1, "each skipped file is reported once: {err}");
    let out = home.run(&["ask", "/breach search vault"]);
    assert!(!stdout(&out).contains("4417"), "{}", stdout(&out));
    let out = home.run(&["ask", "/breach search harbor"]);
    assert!(stdout(&out).contains("Harbor notes"), "{}", stdout(&out));
}

#[test]
fn ingest_skips_bad_files_names_them_and_keeps_what_is_stored() {
    let home = Home::new();
    let input = home.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "Title: Good story\n\nThe water utility said attackers reached a billing server on Friday.\n",
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(input.join("binary.txt"), b"\x00\x01\x02binary").unwrap();
    // Latin-1 and Windows-1252 text is read, with a note naming the file.
    std::fs::write(input.join("latin1.md"), b"The caf\xe9 chain said its \x93loyalty\x94 database was copied.")
        .unwrap();
    let missing = home.path().join("missing.md");

    let out = home.run(&["ingest", input.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "skips give exit status 3: {}", stderr(&out));
    let err = stderr(&out);
    for name in ["empty.txt", "binary.txt", "missing.md"] {
        assert!(
            err.contains(&format!(
                "skipped {}",
                home.path().join(if name == "missing.md" { name.to_string() } else { format!("in/{name}") }).display()
            )),
            "{name} not named in:\n{err}"
        );
        assert_eq!(err.matches(name).count(), 1, "{name} is reported once:\n{err}");
    }
    assert!(err.contains("latin1.md: not UTF-8 (byte 7 is not); read as Windows-1252 (Latin-1)"), "{err}");
    assert!(stdout(&out).contains("2 added, 0 updated, 0 already known, 3 skipped"), "{}", stdout(&out));
    let out = home.run(&["ask", "/breach search loyalty"]);
    assert!(stdout(&out).contains("The café chain said its “loyalty” database was copied."), "{}", stdout(&out));

    // Again: nothing new, and the good story is still there.
    let out = home.run(&["ingest", input.join("good.txt").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("0 added, 0 updated, 1 already known"), "{}", stdout(&out));
    let out = home.run(&["ask", "/breach search billing"]);
    assert!(stdout(&out).contains("Good story"), "{}", stdout(&out));
}

#[test]
fn the_same_samples_twice_make_no_second_copy() {
    let home = Home::new();
    let samples = samples_dir();
    let first = home.run(&["ingest", samples.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).starts_with("10 added"), "{}", stdout(&first));
    // A copy of a sample under another name is the same story.
    let copy = home.path().join("copy.md");
    std::fs::copy(samples.join("volt-typhoon-kv-botnet.md"), &copy).unwrap();
    let second = home.run(&["ingest", samples.to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(stdout(&second).starts_with("0 added, 0 updated, 11 already known"), "{}", stdout(&second));
}

#[test]
fn a_bad_config_value_stops_start_up_naming_the_key() {
    let home = Home::new();
    let out = home.cmd().env("BREACHDESK__ANSWER__SUMMARY_SENTENCES", "99").args(["ask", "/help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("answer.summary_sentences"), "{}", stderr(&out));

    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, "[answer]\npage_size = \"many\"\n").unwrap();
    let out = home.run(&["--config", bad.to_str().unwrap(), "reindex"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("page_size"), "{}", stderr(&out));

    // serve-http without a public key, or with a bind that is no address, stops the same way.
    let out = home.cmd().env("BREACHDESK__DISCORD__PUBLIC_KEY", "").args(["serve-http"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("discord.public_key"), "{}", stderr(&out));
    let key = hex::encode(ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key().to_bytes());
    let out = home
        .cmd()
        .env("BREACHDESK__DISCORD__PUBLIC_KEY", &key)
        .args(["serve-http", "--bind", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--bind"), "{}", stderr(&out));
}

#[test]
fn reindex_rebuilds_from_the_store() {
    let home = Home::new();
    assert!(home.run(&["ingest", samples_dir().to_str().unwrap()]).status.success());
    std::fs::remove_dir_all(home.path().join("index")).unwrap();
    // Opening finds an empty index and catches up with the store by itself.
    let out = home.run(&["ask", "/breach search pipeline"]);
    assert!(stdout(&out).contains("Colonial"), "{}", stdout(&out));
    let out = home.run(&["reindex"]);
    assert!(stdout(&out).contains("10 documents"), "{}", stdout(&out));
}

#[test]
fn a_user_error_exits_non_zero_with_a_short_message() {
    let home = Home::new();
    let out = home.run(&["ask", "/breach search \"unclosed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("Query not understood"), "{}", stdout(&out));
}

#[test]
fn run_and_serve_http_name_the_setting_they_lack() {
    let home = Home::new();
    // A missing setting is a configuration error: status 2, like a bad config file.
    let out = home.run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("BREACHDESK__DISCORD__TOKEN"), "{}", stderr(&out));
    let out = home.run(&["serve-http", "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("discord.public_key"), "{}", stderr(&out));
}

#[test]
fn a_malformed_public_key_is_a_configuration_error_naming_the_key() {
    let home = Home::new();
    let out = home.run_env(&["serve-http"], &[("BREACHDESK__DISCORD__PUBLIC_KEY", "zz-not-hex")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("discord.public_key"), "{}", stderr(&out));
}

#[test]
fn who_said_denial_lists_the_embassy_denial_with_its_citation() {
    let home = Home::new();
    let out = home.run(&["ask", "/who-said denial"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Chinese Embassy in Washington"), "{text}");
    let line = text.lines().find(|l| l.contains("denied the accusations")).expect("the embassy's denial");
    assert!(line.trim_end().ends_with(']'), "uncited: {line}");
    assert!(text.contains("salt-typhoon-us-telecoms.txt"), "{text}");
}

#[test]
fn extract_jsonl_prints_one_scorable_object_per_file() {
    let home = Home::new();
    let samples = samples_dir();
    let out = home.run(&[
        "extract",
        "--jsonl",
        samples.join("salt-typhoon-us-telecoms.txt").to_str().unwrap(),
        samples.join("volt-typhoon-kv-botnet.md").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert!(first["file"].as_str().unwrap().ends_with("salt-typhoon-us-telecoms.txt"));
    let statements = first["statements"].as_array().unwrap();
    assert!(
        statements.iter().all(|s| s["speaker"].is_string() && s["stance"].is_string() && s["sentence"].is_string())
    );
    let no_comment: Vec<&str> =
        statements.iter().filter(|s| s["stance"] == "no_comment").map(|s| s["speaker"].as_str().unwrap()).collect();
    for who in ["AT&T", "Lumen", "Verizon"] {
        assert!(no_comment.contains(&who), "{who} missing from {no_comment:?}");
    }
    for field in ["threat_actors", "victims", "responders"] {
        assert!(first["incident"][field].is_array(), "incident.{field}");
    }
    // Nothing was stored.
    assert!(!home.path().join("data/breachdesk.sqlite3").exists());
}

#[test]
fn digest_dry_run_on_the_samples_cites_every_quoted_sentence() {
    let home = Home::new();
    let out = home.run(&["digest", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Daily digest"), "{text}");
    assert!(text.contains("Timeline picture:"), "{text}");
    // Sections: incident headings carry "(... in the timeline)"; under each,
    // the facts line, then quoted sentences, each cited.
    let mut section = String::new();
    let mut index = 0;
    let mut quoted = 0;
    for line in text.lines() {
        if !line.starts_with("  ") && !line.is_empty() {
            section = line.to_string();
            index = 0;
            continue;
        }
        let Some(bullet) = line.strip_prefix("  - ") else { continue };
        index += 1;
        let in_incident = section.contains("in the timeline)");
        if section == "Notable statements" || (in_incident && index > 1) {
            assert!(bullet.trim_end().ends_with(']'), "uncited sentence in {section}: {bullet}");
            quoted += 1;
        }
    }
    assert!(quoted >= 6, "{text}");
    assert!(text.contains("Notable statements"), "{text}");
}

#[test]
fn parse_prints_conllu_and_trees_and_names_a_bad_model() {
    let home = Home::new();
    let input = home.path().join("article.txt");
    std::fs::write(
        &input,
        "The agency said hackers stole records. \"We deny it,\" a spokesperson said.\n\nAcme didn't comment.\n",
    )
    .unwrap();
    let out = home.run(&["parse", "--conllu", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let sentences: Vec<&str> = text.split("\n\n").filter(|s| !s.trim().is_empty()).collect();
    assert_eq!(sentences.len(), 3, "{text}");
    for s in &sentences {
        // Word lines (range lines such as `2-3 didn't` name written words).
        let rows: Vec<Vec<&str>> = s
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|r| !r[0].contains('-'))
            .collect();
        assert!(rows.iter().all(|r| r.len() == 10), "{s}");
        assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 1, "one root in {s}");
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r[0], (i + 1).to_string());
            let head: usize = r[6].parse().unwrap();
            assert!(head <= rows.len(), "{s}");
        }
    }
    assert!(text.contains("\tdid\tdo\tAUX\t"), "{text}");
    assert!(text.contains("\tn't\tnot\tPART\t"), "{text}");
    assert!(text.contains("-3\tdidn't\t_"), "a range line for the written word: {text}");

    let out = home.run(&["parse", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = stdout(&out);
    assert!(tree.contains("said (root, VERB, say)"), "{tree}");

    let bad = home.path().join("bad.model");
    std::fs::write(&bad, b"nonsense").unwrap();
    let out = home.run(&["parse", "--model", bad.to_str().unwrap(), input.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.model"), "{}", stderr(&out));
}

#[test]
fn clean_prints_what_ingest_would_store_without_storing_it() {
    let home = Home::new();
    let page = home.path().join("story.html");
    std::fs::write(
        &page,
        "<html><head><title>Ferry operator reports breach | Harbour Daily</title>\
         <meta property=\"article:published_time\" content=\"2025-03-14T09:30:00Z\"></head><body>\
         <nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Ferry operator reports breach</h1>\
         <p>Contoso Ferries said on Friday that intruders reached a server holding passenger manifests for two weeks in February.</p>\
         <p>The company said it had hired an outside firm to investigate and had informed the national data regulator.</p>\
         </article><footer>Copyright Harbour Daily</footer></body></html>",
    )
    .unwrap();
    let out = home.run(&["clean", "--jsonl", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(record["title"], "Ferry operator reports breach");
    assert_eq!(record["published"], "2025-03-14T09:30:00+00:00");
    let body = record["body"].as_str().unwrap();
    let paragraphs: Vec<&str> = body.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 2, "{body}");
    assert!(paragraphs[0].starts_with("Contoso Ferries said") && !body.contains("Copyright"), "{body}");
    // Nothing was stored.
    assert!(
        !home.path().join("data").exists()
            || !stdout(&home.run(&["ask", "/breach search ferries"])).contains("Ferry operator")
    );
}
