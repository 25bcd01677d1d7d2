//! The stance table over invented sentences: the cue found by the parse,
//! the content, and the stance the table gives.

use super::*;
use crate::extract::attribution::{attributions, quotations, quoted_tokens};
use crate::nlp::Nlp;

/// The stance of the first attribution of `text`, spoken by `name`.
fn stance_of(text: &str, name: &str, public: bool) -> Option<Stance> {
    let s = Nlp::bundled().sentence(text, crate::model::Span { start: 0, end: text.len() as u32 });
    let quoted = quoted_tokens(&s, &quotations(text));
    let a = attributions(&s, &quoted).into_iter().next().expect("an attribution");
    let mut ids = a.content.clone();
    ids.extend((0..s.tokens.len()).filter(|&j| quoted[j]));
    ids.sort_unstable();
    ids.dedup();
    let said = Said::new(&s, ids);
    stance(
        a.cue,
        &a.lemma,
        a.negated,
        &said,
        Speaker { name, affiliation: None, public, media: false, person: false, victim: None },
    )
}

use Stance::*;

#[test]
fn cue_classes() {
    let table: &[(&str, &str, bool, Option<Stance>)] = &[
        ("Northwind Bank declined to comment.", "Northwind Bank", false, Some(NoComment)),
        ("The embassy rejected the allegations.", "embassy", true, Some(Denial)),
        ("The embassy did not deny the report.", "embassy", true, Some(Claim)),
        ("The ministry accused Ruritania of running the campaign.", "ministry", true, Some(Accusation)),
        ("The ministry would not confirm the figure.", "ministry", true, Some(NoComment)),
        (
            "Northwind Bank confirmed that attackers reached its payroll system.",
            "Northwind Bank",
            false,
            Some(Confirmation),
        ),
        ("The agency urged operators to patch their firewalls.", "agency", true, Some(Warning)),
        ("Analysts believe the demands were set high on purpose.", "Analysts", false, Some(Assessment)),
        ("Northwind Bank said services were restored on Monday.", "Northwind Bank", false, Some(Claim)),
    ];
    for (text, name, public, want) in table {
        assert_eq!(stance_of(text, name, *public), *want, "{text}");
    }
}

#[test]
fn content_decides_for_saying_verbs() {
    let table: &[(&str, &str, bool, Stance)] = &[
        ("Northwind Bank said no customer data was stolen.", "Northwind Bank", false, Denial),
        ("Northwind Bank said its systems were not compromised.", "Northwind Bank", false, Denial),
        ("Investigators said Volt Typhoon was likely behind the intrusion.", "Investigators", true, Accusation),
        ("Northwind Bank said its network was breached last week.", "Northwind Bank", false, Confirmation),
        ("The gang said the files will be published on Friday.", "gang", false, Warning),
        ("The analyst said the targeting may point to espionage.", "analyst", false, Assessment),
        ("The regulator said the firm failed to protect patient data.", "regulator", true, Accusation),
        ("Northwind Bank called the claims groundless.", "Northwind Bank", false, Denial),
        // Not denying the act, but rejecting the evidence.
        ("The embassy did not deny the attack but said the evidence was thin.", "embassy", true, Denial),
        // A state word in the speaker's name does not make it the perpetrator.
        ("The Canadian agency said Chinese hackers breached the carrier.", "Canadian agency", true, Accusation),
        // A promise not to attack accuses nobody.
        ("The ministry said China would not interfere in the election.", "ministry", true, Claim),
        ("The firm said the intrusion is likely the work of a China-sponsored actor.", "firm", false, Accusation),
        ("Northwind Bank said it experienced a cyberattack on Monday.", "Northwind Bank", false, Confirmation),
        ("The lawyer said the company should have implemented basic safeguards.", "lawyer", false, Accusation),
        ("The director said he was aware that the hackers had released records.", "director", false, Confirmation),
    ];
    for (text, name, public, want) in table {
        assert_eq!(stance_of(text, name, *public), Some(*want), "{text}");
    }
}

#[test]
fn an_affected_party_reporting_harm_confirms() {
    let text = "Northwind Bank said only a small number of customers were impacted.";
    let s = Nlp::bundled().sentence(text, crate::model::Span { start: 0, end: text.len() as u32 });
    let a = attributions(&s, &vec![false; s.tokens.len()]).into_iter().next().expect("an attribution");
    let said = Said::new(&s, a.content.clone());
    let who = |victim| Speaker {
        name: "Northwind Bank",
        affiliation: None,
        public: false,
        media: false,
        person: false,
        victim: Some(victim),
    };
    assert_eq!(stance(a.cue, &a.lemma, a.negated, &said, who(true)), Some(Confirmation));
    // The same words from a bystander report, they do not confirm.
    assert_eq!(stance(a.cue, &a.lemma, a.negated, &said, who(false)), Some(Claim));
}

#[test]
fn harm_and_attack_words_are_read_in_every_form() {
    // The lemmatizer learned "interfered" as "interfer": the lists' own
    // inflections still know it.
    let table: &[(&str, &str, bool, Option<Stance>)] = &[
        (
            "The ministry said that Russian hackers interfered with the harbor radio network.",
            "ministry",
            true,
            Some(Accusation),
        ),
        ("Northwind Bank says the intruders did not obtain any card numbers.", "Northwind Bank", false, Some(Denial)),
        // "when they appear" is a coming, not a hedge; "appear to be" is one.
        (
            "Northwind Bank said it will test the patches when they appear next month.",
            "Northwind Bank",
            false,
            Some(Claim),
        ),
        (
            "Northwind Bank said the intruders appear to be the same crew as last year.",
            "Northwind Bank",
            false,
            Some(Assessment),
        ),
    ];
    for (text, name, public, want) in table {
        assert_eq!(stance_of(text, name, *public), *want, "{text}");
    }
}
