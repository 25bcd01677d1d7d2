fn main() {
    let mut out = Vec::new();
    for p in std::env::args().skip(1) {
        let raw = std::fs::read_to_string(&p).unwrap();
        let c = breachdesk::clean::clean_text(&raw);
        let paras: Vec<String> = c.paragraphs.iter().map(|p| p.text.clone()).collect();
        out.push(serde_json::json!({"file": p, "title": c.title, "paragraphs": paras}));
    }
    println!("{}", serde_json::to_string(&out).unwrap());
}
