//! Attribution over invented sentences: the cue, its source phrase and
//! whether it is negated.

use super::*;
use crate::nlp::Nlp;

/// (cue lemma, source words, negated) for each attribution of `text`.
fn found(text: &str) -> Vec<(String, String, bool)> {
    let nlp = Nlp::bundled();
    let s = nlp.sentence(text, crate::model::Span { start: 0, end: text.len() as u32 });
    let quoted = quoted_tokens(&s, &quotations(text));
    attributions(&s, &quoted)
        .into_iter()
        .map(|a| {
            let words: Vec<&str> = a.source.iter().map(|&j| s.tokens[j].text.as_str()).collect();
            (a.lemma, words.join(" "), a.negated)
        })
        .collect()
}

fn check(text: &str, want: &[(&str, &str)]) {
    let got: Vec<(String, String)> = found(text).into_iter().map(|(l, s, _)| (l, s)).collect();
    let want: Vec<(String, String)> = want.iter().map(|(l, s)| (l.to_string(), s.to_string())).collect();
    assert_eq!(got, want, "\n{text}");
}

#[test]
fn subjects_of_reporting_verbs() {
    check("Northwind Bank said the intruders reached a file server.", &[("say", "Northwind Bank")]);
    check("The intruders reached a file server, the bank said.", &[("say", "the bank")]);
    check("\"We restored every system by Sunday,\" said Dana Ruiz.", &[("say", "Dana Ruiz")]);
    check("Officials at the agency told reporters that the outage was over.", &[("tell", "Officials at the agency")]);
}

#[test]
fn according_to() {
    check("The intruders reached a file server, according to the regulator.", &[("according to", "the regulator")]);
}

#[test]
fn coordination_and_relative_clauses() {
    check(
        "Northwind Bank confirmed the breach but declined to say how many customers were affected.",
        &[("confirm", "Northwind Bank"), ("decline", "Northwind Bank")],
    );
    check("Northwind and Eastfield declined to comment.", &[("decline", "Northwind and Eastfield")]);
}

#[test]
fn refusals_and_negation() {
    check("Northwind Bank did not respond to a request for comment.", &[("respond", "Northwind Bank")]);
    check("The ministry would not confirm the figure.", &[("confirm", "The ministry")]);
    check("A spokesperson was not available for comment.", &[("available", "A spokesperson")]);
    assert!(found("The embassy did not deny that the servers were seized.")[0].2);
}

#[test]
fn passives_and_quotes() {
    // An agentless passive names no source.
    check("The group is believed to operate from abroad.", &[]);
    check("The flaw was disclosed by Eastfield Labs, which said it was exploited.", &[("say", "Eastfield Labs")]);
    // A verb inside a quotation is not the sentence's cue.
    check("\"They denied everything and said nothing,\" the analyst wrote.", &[("write", "the analyst")]);
}

#[test]
fn news_verbs_need_a_clause() {
    check("Northwind Bank announced a new mobile app.", &[]);
    check("Northwind Bank announced that it had contained the attack.", &[("announce", "Northwind Bank")]);
}

#[test]
fn quotations_span_sentences() {
    let text = "He said: \"We were hit. We are still investigating.\" Then he left.";
    let q = quotations(text);
    assert_eq!(q.len(), 1);
    assert_eq!(&text[q[0].0 as usize..q[0].1 as usize], "\"We were hit. We are still investigating.\"");
    assert!(quotations("the so-called \"red team\" was hired").is_empty());
}
