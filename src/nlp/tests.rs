//! The bundled model on invented sentences of the shapes attribution and
//! incident extraction need. Each tree was checked by hand against the UD
//! English guidelines (the EWT conventions the model learned).

use super::*;

fn parse(text: &str) -> (String, Sentence) {
    let mut s = Nlp::bundled().paragraph(text);
    assert_eq!(s.len(), 1, "one sentence expected in {text:?}");
    (text.to_string(), s.remove(0))
}

/// The index of the (first) token written `word`.
fn at(s: &Sentence, word: &str) -> usize {
    s.tokens.iter().position(|t| t.text == word).unwrap_or_else(|| panic!("no token {word:?}"))
}

/// Assert that `dep` hangs from `head` (None: the root) with one of `rels`.
fn arc(s: &(String, Sentence), dep: &str, head: Option<&str>, rels: &[&str]) {
    let (text, s) = s;
    let d = at(s, dep);
    let t = &s.tokens[d];
    let got_head = t.head.map(|h| s.tokens[h].text.as_str());
    assert_eq!(got_head, head, "head of {dep:?} in {text:?}: {}", describe(s));
    assert!(rels.contains(&t.rel.as_str()), "relation of {dep:?} in {text:?} is {}: {}", t.rel.as_str(), describe(s));
}

fn describe(s: &Sentence) -> String {
    s.tokens
        .iter()
        .map(|t| {
            let h = t.head.map_or("ROOT", |h| s.tokens[h].text.as_str());
            format!("{}/{}<-{}:{}", t.text, t.upos.as_str(), h, t.rel.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reported_speech_with_that() {
    let s = parse("Acme said that the hackers took customer records.");
    arc(&s, "said", None, &["root"]);
    arc(&s, "Acme", Some("said"), &["nsubj"]);
    arc(&s, "took", Some("said"), &["ccomp"]);
    arc(&s, "that", Some("took"), &["mark"]);
    arc(&s, "hackers", Some("took"), &["nsubj"]);
    arc(&s, "records", Some("took"), &["obj"]);
}

#[test]
fn inverted_quote() {
    let s = parse("\"We have found no evidence of a breach,\" said Maria Lopez.");
    arc(&s, "said", None, &["root"]);
    arc(&s, "found", Some("said"), &["ccomp"]);
    arc(&s, "Maria", Some("said"), &["nsubj"]);
    arc(&s, "Lopez", Some("Maria"), &["flat"]);
    arc(&s, "We", Some("found"), &["nsubj"]);
}

#[test]
fn quote_then_subject_and_verb() {
    let s = parse("\"The attack is over,\" the minister told the BBC.");
    arc(&s, "told", None, &["root"]);
    arc(&s, "over", Some("told"), &["ccomp"]);
    arc(&s, "minister", Some("told"), &["nsubj"]);
    arc(&s, "BBC", Some("told"), &["obj", "iobj"]);
}

#[test]
fn a_verb_takes_one_subject() {
    // A place, a title and a name before the verb, a day after it: one
    // subject, however the words around it score (without the rule, the
    // model made "police", "Chuck" and "Monday" all subjects of "said").
    for text in [
        "\"We will finish the audit before the vote,\" Harbor county Clerk Ana Ruiz said Monday.",
        "\"I will make this promise to you: we will achieve justice,\" Tulsa police Chief Chuck Jordan said Monday.",
    ] {
        let (_, s) = parse(text);
        let said = at(&s, "said");
        let subjects = s.tokens.iter().filter(|t| t.head == Some(said) && t.rel.base() == "nsubj").count();
        assert_eq!(subjects, 1, "{}", describe(&s));
        assert_ne!(s.tokens[at(&s, "Monday")].rel.base(), "nsubj", "{}", describe(&s));
    }
}

#[test]
fn according_to() {
    let s = parse("The data was stolen, according to investigators.");
    arc(&s, "stolen", None, &["root"]);
    arc(&s, "investigators", Some("stolen"), &["obl"]);
    arc(&s, "according", Some("investigators"), &["case"]);
    arc(&s, "to", Some("according"), &["fixed"]);
    arc(&s, "data", Some("stolen"), &["nsubj:pass"]);
}

#[test]
fn passive_with_agent() {
    let s = parse("The company was breached by a Chinese group.");
    arc(&s, "breached", None, &["root"]);
    arc(&s, "company", Some("breached"), &["nsubj:pass"]);
    arc(&s, "was", Some("breached"), &["aux:pass"]);
    arc(&s, "group", Some("breached"), &["obl:agent", "obl"]);
    arc(&s, "by", Some("group"), &["case"]);
}

#[test]
fn coordinated_subjects_decline_to_comment() {
    let s = parse("Microsoft and Google declined to comment.");
    arc(&s, "declined", None, &["root"]);
    arc(&s, "Microsoft", Some("declined"), &["nsubj"]);
    arc(&s, "Google", Some("Microsoft"), &["conj"]);
    arc(&s, "and", Some("Google"), &["cc"]);
    arc(&s, "comment", Some("declined"), &["xcomp"]);
}

#[test]
fn apposition_of_a_spokesperson() {
    let s = parse("John Smith, a spokesperson for the agency, denied the report.");
    arc(&s, "denied", None, &["root"]);
    arc(&s, "John", Some("denied"), &["nsubj"]);
    arc(&s, "spokesperson", Some("John"), &["appos"]);
    arc(&s, "agency", Some("spokesperson"), &["nmod"]);
    arc(&s, "report", Some("denied"), &["obj"]);
}

#[test]
fn negation_and_modality() {
    let s = parse("The embassy did not respond to a request for comment.");
    arc(&s, "respond", None, &["root"]);
    arc(&s, "embassy", Some("respond"), &["nsubj"]);
    arc(&s, "did", Some("respond"), &["aux"]);
    arc(&s, "not", Some("respond"), &["advmod"]);
    arc(&s, "request", Some("respond"), &["obl"]);

    let s = parse("The company would not confirm the breach.");
    arc(&s, "would", Some("confirm"), &["aux"]);
    arc(&s, "not", Some("confirm"), &["advmod"]);
    arc(&s, "breach", Some("confirm"), &["obj"]);
}

#[test]
fn contraction_and_possessive() {
    let s = parse("The company's lawyer didn't deny it.");
    arc(&s, "deny", None, &["root"]);
    arc(&s, "lawyer", Some("deny"), &["nsubj"]);
    arc(&s, "company", Some("lawyer"), &["nmod:poss"]);
    arc(&s, "'s", Some("company"), &["case"]);
    arc(&s, "n't", Some("deny"), &["advmod"]);
    assert_eq!(s.1.tokens[at(&s.1, "did")].lemma, "do");
    assert_eq!(s.1.tokens[at(&s.1, "n't")].lemma, "not");
}

#[test]
fn accusation_with_of() {
    let s = parse("Officials accused Russia of hacking the network.");
    arc(&s, "accused", None, &["root"]);
    arc(&s, "Officials", Some("accused"), &["nsubj"]);
    arc(&s, "Russia", Some("accused"), &["obj"]);
    // EWT hangs the of-clause on the verb; the model hangs it on the
    // accused (a measured limitation): both keep it under the accusation.
    arc(&s, "of", Some("hacking"), &["mark"]);
    arc(&s, "network", Some("hacking"), &["obj"]);
    assert!(s.1.subtree(at(&s.1, "accused")).contains(&at(&s.1, "hacking")));
}

#[test]
fn relative_clause_speaker() {
    let s = parse("Researchers who studied the malware said it was new.");
    arc(&s, "said", None, &["root"]);
    arc(&s, "Researchers", Some("said"), &["nsubj"]);
    arc(&s, "studied", Some("Researchers"), &["acl:relcl"]);
    arc(&s, "who", Some("studied"), &["nsubj"]);
    arc(&s, "new", Some("said"), &["ccomp"]);
}

#[test]
fn tags_and_lemmas_of_news_words() {
    let (_, s) = parse("Hackers stole the companies' data and the agencies denied it.");
    let tok = |w: &str| &s.tokens[at(&s, w)];
    assert_eq!((tok("Hackers").upos, tok("Hackers").lemma.as_str()), (Upos::Noun, "hacker"));
    assert_eq!((tok("stole").upos, tok("stole").lemma.as_str()), (Upos::Verb, "steal"));
    assert_eq!((tok("companies").upos, tok("companies").lemma.as_str()), (Upos::Noun, "company"));
    assert_eq!((tok("denied").upos, tok("denied").lemma.as_str()), (Upos::Verb, "deny"));
    assert_eq!(tok("agencies").lemma, "agency");
    assert_eq!(tok("the").upos, Upos::Det);
    assert_eq!(tok("'").upos, Upos::Part);
}

#[test]
fn unknown_names_are_proper_nouns() {
    let (_, s) = parse("Ivanti said Zorvex Labs patched the flaw.");
    let tok = |w: &str| &s.tokens[at(&s, w)];
    assert_eq!(tok("Ivanti").upos, Upos::Propn);
    assert_eq!(tok("Zorvex").upos, Upos::Propn);
    assert_eq!(tok("said").upos, Upos::Verb);
    assert_eq!(tok("Ivanti").head, Some(at(&s, "said")));
    assert_eq!(tok("Ivanti").lemma, "Ivanti");
}

#[test]
fn every_sentence_is_one_tree() {
    let text = "Volt Typhoon, which U.S. officials tie to China, hid in routers. \"We won't comment,\" it said. \
        CISA urged agencies to patch CVE-2024-3400 by Friday; the flaw was exploited at 10.0.0.1 and \
        evil.example.com (see https://example.org/advisory?id=7).";
    let nlp = Nlp::bundled();
    let sentences = nlp.paragraph(text);
    assert_eq!(sentences.len(), 3);
    for s in &sentences {
        assert_eq!(s.tokens.iter().filter(|t| t.head.is_none()).count(), 1, "{}", describe(s));
        assert!(s.tokens.iter().all(|t| (t.head.is_none()) == (t.rel == Deprel::ROOT)), "{}", describe(s));
        for (i, t) in s.tokens.iter().enumerate() {
            assert_eq!(&text[t.span.start as usize..t.span.end as usize], t.text);
            assert_eq!(t.lower, t.text.to_lowercase());
            // following heads from any token reaches the root without a cycle
            let (mut j, mut steps) = (i, 0);
            while let Some(h) = s.tokens[j].head {
                j = h;
                steps += 1;
                assert!(steps <= s.tokens.len(), "cycle in {}", describe(s));
            }
        }
    }
    let cve = sentences[2].tokens.iter().find(|t| t.text == "CVE-2024-3400");
    assert!(cve.is_some(), "{}", describe(&sentences[2]));
}

#[test]
fn deprel_constants_name_their_relations() {
    for (c, name) in [
        (Deprel::ROOT, "root"),
        (Deprel::NSUBJ, "nsubj"),
        (Deprel::NSUBJ_PASS, "nsubj:pass"),
        (Deprel::OBL_AGENT, "obl:agent"),
        (Deprel::CCOMP, "ccomp"),
        (Deprel::XCOMP, "xcomp"),
        (Deprel::APPOS, "appos"),
        (Deprel::ACL_RELCL, "acl:relcl"),
        (Deprel::IOBJ, "iobj"),
        (Deprel::FIXED, "fixed"),
        (Deprel::CSUBJ, "csubj"),
        (Deprel::DEP, "dep"),
        (Deprel::ACL, "acl"),
        (Deprel::AUX_PASS, "aux:pass"),
        (Deprel::NMOD_POSS, "nmod:poss"),
        (Deprel::PARATAXIS, "parataxis"),
        (Deprel::FLAT, "flat"),
        (Deprel::COP, "cop"),
        (Deprel::CONJ, "conj"),
    ] {
        assert_eq!(c.as_str(), name);
        assert_eq!(Deprel::parse(name), Some(c));
    }
    assert_eq!(Deprel::parse("obl:foo"), Some(Deprel::OBL));
    assert_eq!(Deprel::parse("nonsense"), None);
}

#[test]
fn a_damaged_model_is_refused_with_a_reason() {
    let good = Nlp::bundled().to_bytes();
    let err = Nlp::from_bytes(&good[..good.len() / 2], "half.model").err().expect("refused").to_string();
    assert!(err.contains("half.model"), "{err}");
    let err = Nlp::from_bytes(b"not a model", "junk").err().expect("refused").to_string();
    assert!(err.contains("wrong header"), "{err}");
    let mut no_tags = train::MAGIC.to_vec();
    no_tags.extend_from_slice(&0u32.to_le_bytes());
    let err = Nlp::from_bytes(&no_tags, "empty").err().expect("refused").to_string();
    assert!(err.contains("0 tags"), "{err}");
    let err = Nlp::load(std::path::Path::new("/nonexistent/model")).err().expect("refused").to_string();
    assert!(err.contains("/nonexistent/model"), "{err}");
}

#[test]
fn model_round_trips_through_bytes() {
    let bytes = Nlp::bundled().to_bytes();
    let again = Nlp::from_bytes(&bytes, "copy").expect("loads");
    let text = "The agency said the group breached three telecom firms.";
    assert_eq!(again.paragraph(text), Nlp::bundled().paragraph(text));
}

/// Hostile text: what would recurse or rescan per character in a naive
/// tokenizer (a hundred thousand dashes, clitics or closing marks in one
/// chunk), and a sentence of twenty thousand tokens, all finish and keep
/// every span verbatim.
#[test]
fn hostile_text_neither_overflows_nor_rescans() {
    let mut chunk = String::from("x");
    chunk.push_str(&"—".repeat(100_000));
    chunk.push_str(&"n't".repeat(100_000));
    chunk.push_str(&".)".repeat(100_000));
    chunk.push_str(&"’".repeat(100_000));
    let spans = tokenize::tokenize(&chunk);
    assert!(spans.len() > 300_000);
    assert_eq!(spans.iter().map(|s| (s.end - s.start) as usize).sum::<usize>(), chunk.len());

    let long = "word ".repeat(20_000);
    let sentences = Nlp::bundled().paragraph(&long);
    let tokens: usize = sentences.iter().map(|s| s.tokens.len()).sum();
    assert_eq!(tokens, 20_000);
    let mut drawn = String::new();
    for s in &sentences {
        conllu::draw(s, &mut drawn);
        let root = s.root().expect("a root");
        assert_eq!(s.subtree(root).len(), s.tokens.len());
    }
    assert_eq!(drawn.lines().count(), 20_000);
}

#[test]
fn typographic_apostrophes_read_as_plain_ones() {
    let curly = parse("Northwind’s spokesperson said there hasn’t been any sign of theft.");
    let plain = parse("Northwind's spokesperson said there hasn't been any sign of theft.");
    let view = |s: &Sentence| {
        s.tokens.iter().map(|t| (t.lower.clone(), t.lemma.clone(), t.upos, t.head, t.rel)).collect::<Vec<_>>()
    };
    assert_eq!(view(&curly.1), view(&plain.1));
    let neg = at(&curly.1, "n’t");
    assert_eq!((curly.1.tokens[neg].lower.as_str(), curly.1.tokens[neg].upos), ("n't", Upos::Part));
    assert_eq!(curly.1.tokens[neg].text, "n’t", "the text stays as written");
}

#[test]
fn a_noun_before_that_agreeing_with_its_subject_is_the_verb() {
    // The greedy tagger alone reads "warns" and "state" as nouns here,
    // leaving the sentence without a verb.
    let s = parse("The DHS warns that the group stole router files.");
    arc(&s, "warns", None, &["root"]);
    arc(&s, "DHS", Some("warns"), &["nsubj"]);
    let s = parse("Furthermore, court documents state that the crew targeted two tables.");
    arc(&s, "state", None, &["root"]);
    arc(&s, "documents", Some("state"), &["nsubj"]);
    // A noun with its own complement clause stays a noun.
    let (_, s) = parse("The claims that the bank was hacked were false.");
    assert_eq!(s.tokens[at(&s, "claims")].upos, Upos::Noun);
}
