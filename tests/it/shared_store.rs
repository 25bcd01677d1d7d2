//! One data directory, several processes: `serve-http` answering while
//! `poll --once`, `ask` and `reindex` run beside it. Each sees what the
//! others stored, and none finds the index locked; a second `serve-http`
//! turns the pages of the first one's answers.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::{Value, json};

use crate::http::{post, signed, signing_key};
use crate::site::{Page, Site};
use crate::util::{Home, stderr, stdout};

/// A `serve-http` process, killed when dropped.
struct Server {
    child: Child,
    addr: std::net::SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `serve-http` on a free loopback port; its address is read from
/// its own log line, then its log is drained on a thread.
fn serve(home: &Home, config: &str) -> Server {
    let mut child = home
        .cmd()
        .args(["--config", config, "serve-http", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve-http stopped before listening").unwrap();
        if line.contains("answering Discord interactions over HTTP") {
            let at = line.find("127.0.0.1:").expect("the address in the log line");
            let port: String = line[at + 10..].chars().take_while(char::is_ascii_digit).collect();
            break format!("127.0.0.1:{port}").parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr }
}

/// An interaction for guild 42 from a member who may ingest.
fn interaction(id: &str, name: &str, sub: &str, options: Value) -> String {
    json!({
        "type": 2, "id": id, "application_id": "1", "token": "t", "version": 1,
        "guild_id": "42", "channel_id": "7",
        "member": { "user": { "id": "5" }, "roles": [], "permissions": "32" },
        "data": { "name": name, "type": 1, "options": [{ "name": sub, "type": 1, "options": options }] }
    })
    .to_string()
}

async fn ask_server(server: &Server, body: &str) -> String {
    let (status, reply) = post(server.addr, body, &signed(body, chrono::Utc::now().timestamp())).await;
    assert_eq!(status, 200, "{reply}");
    reply
}

fn search(id: &str, query: &str) -> String {
    interaction(id, "breach", "search", json!([{ "name": "query", "type": 3, "value": query }]))
}

fn page(title: &str, text: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )
}

fn rss(items: &[(&str, &str)]) -> Vec<u8> {
    let items: String = items
        .iter()
        .map(|(guid, link)| format!("<item><guid>{guid}</guid><link>{link}</link><title>{guid}</title></item>"))
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>").into_bytes()
}

/// Run the binary beside the server and return its stdout; it must succeed.
async fn beside(home: &Home, args: &[&str]) -> String {
    let mut cmd = home.cmd();
    cmd.args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_poll_ask_and_reindex_share_one_data_directory() {
    let site = Site::start().await;
    site.html(
        "/a",
        &page(
            "Shipping firm reports data breach",
            "Northwind Shipping said on Monday that intruders reached a server holding crew schedules and \
             passport scans. The company said it had called in an incident response firm.",
        ),
    );
    site.html(
        "/b",
        &page(
            "Water utility hit by ransomware",
            "The water utility of Port Azure confirmed a ransomware attack that took its billing portal offline \
             for two days. The utility said customer names were copied before the systems were encrypted.",
        ),
    );
    site.set("/rss.xml", Page::Body(200, "application/rss+xml", rss(&[("a", &site.url("/a"))])));
    let home = Home::new();
    let config = home.path().join("shared.toml");
    std::fs::write(
        &config,
        format!(
            "[fetch]\nallow = [\"127.0.0.1/32\"]\n\n[discord]\npublic_key = \"{}\"\n\n[log]\nlevel = \"info\"\n\n[answer]\nsummary_sentences = 6\n\n[[feeds]]\nurl = \"{}\"\n",
            hex::encode(signing_key().verifying_key().as_bytes()),
            site.url("/rss.xml")
        ),
    )
    .unwrap();
    let config = config.display().to_string();
    let server = serve(&home, &config);

    // The poller stores and indexes beside the running server...
    let polled = beside(&home, &["--config", &config, "poll", "--once"]).await;
    assert!(polled.contains("1 added"), "{polled}");
    // ...and the server finds it at once.
    let found = ask_server(&server, &search("1", "passport")).await;
    assert!(found.contains("Shipping firm reports data breach"), "{found}");

    // The server ingests; the lock it took for that write is released.
    let text = "Fabrikam Logistics said hackers reached its freight tracking servers in April. \
                The company said it found no sign that customer payment data was taken.";
    let ingest = interaction("2", "ingest", "text", json!([{ "name": "text", "type": 3, "value": text }]));
    let added = ask_server(&server, &ingest).await;
    assert!(added.contains("Added"), "{added}");
    // Another process reads what the server stored...
    let asked = beside(&home, &["--config", &config, "ask", "--guild", "42", "/breach search freight"]).await;
    assert!(asked.contains("Fabrikam Logistics"), "{asked}");
    // ...and writes beside it: a second poll and a full reindex.
    site.set(
        "/rss.xml",
        Page::Body(200, "application/rss+xml", rss(&[("a", &site.url("/a")), ("b", &site.url("/b"))])),
    );
    let polled = beside(&home, &["--config", &config, "poll", "--once"]).await;
    assert!(polled.contains("1 added") && polled.contains("1 already known"), "{polled}");
    beside(&home, &["--config", &config, "reindex"]).await;

    // The server sees all three after the reindex another process committed.
    for (id, query, title) in [
        ("3", "ransomware", "Water utility hit by ransomware"),
        ("4", "passport", "Shipping firm reports data breach"),
        ("5", "freight", "Fabrikam Logistics"),
    ] {
        let found = ask_server(&server, &search(id, query)).await;
        assert!(found.contains(title), "{query}: {found}");
    }

    // A second server on the same directory turns the first one's pages.
    let story = home.path().join("long.txt");
    std::fs::write(&story, crate::gateway::long_story()).unwrap();
    beside(&home, &["--config", &config, "ingest", "--guild", "42", story.to_str().unwrap()]).await;
    let second = serve(&home, &config);
    let summary =
        interaction("6", "breach", "summary", json!([{ "name": "incident", "type": 3, "value": "lantern panda" }]));
    let first_page: Value = serde_json::from_str(&ask_server(&server, &summary).await).unwrap();
    let next = first_page["data"]["components"][0]["components"][1].clone();
    assert_eq!(next["label"], "Next", "{first_page}");
    let press = json!({
        "type": 3, "id": "7", "application_id": "1", "token": "t", "version": 1, "guild_id": "42",
        "member": { "user": { "id": "5" }, "roles": [], "permissions": "0" },
        "data": { "custom_id": next["custom_id"], "component_type": 2 }
    })
    .to_string();
    let turned: Value = serde_json::from_str(&ask_server(&second, &press).await).unwrap();
    assert_eq!(turned["type"], 7, "the message is updated in place: {turned}");
    let footer = turned["data"]["embeds"][0]["footer"]["text"].as_str().unwrap_or_default().to_string();
    assert!(footer.starts_with("page 2 of"), "{turned}");
    // The same button from another server shows nothing.
    let mut elsewhere: Value = serde_json::from_str(&press).unwrap();
    elsewhere["guild_id"] = json!("7");
    let refused = ask_server(&second, &elsewhere.to_string()).await;
    assert!(refused.contains("expired"), "{refused}");
}
