//! Event dates as articles write them, resolved against the publication
//! date: "on February 2nd", "in March", "last year", "earlier this month",
//! "in the past few months", "on Tuesday", "in 2023".

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// A date or period the text names, with the words that name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDate {
    pub text: String,
    /// First and last day of the period (equal for a single day).
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Month names, lower case.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Weekday names, lower case.
pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    MONTHS.iter().position(|m| *m == w || (w.len() >= 3 && m.starts_with(&w) && w.len() <= 4)).map(|i| i as u32 + 1)
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("valid month") - Duration::days(1)
}

fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")
}

fn year_span(y: i32) -> (NaiveDate, NaiveDate) {
    (month_start(y, 1), month_end(y, 12))
}

/// Dates a sentence names, resolved against `published`. A month or day
/// without a year is the latest one not after publication.
pub fn event_dates(sentence: &str, published: NaiveDate) -> Vec<EventDate> {
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:on|since|by|until|from|before|after)?\s*(?-u:\b)(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(\d{4}))?",
        )
        .expect("valid regex")
    });
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:in|since|by|until|during|early|late|mid-?)\s+(?:early |late |mid-)?(January|February|March|April|May|June|July|August|September|October|November|December)(?-u:\b)(?:\s+(?:of\s+)?(\d{4}))?",
        )
        .expect("valid regex")
    });
    static YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:in|since|during|throughout|early|late|mid-?)\s+(?:early |late |mid-)?((?:19|20)\d{2})(?-u:\b)")
            .expect("valid regex")
    });
    static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)(yesterday|last (?:week|month|year)|earlier this (?:week|month|year)|this (?:week|month|year)|(?:in|over) the (?:past|last) (?:few |several |(\d+|two|three|four|five|six|twelve) )?(days|weeks|months|years)|(?:on |last )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))(?-u:\b)",
        )
        .expect("valid regex")
    });

    let mut out: Vec<EventDate> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut add = |m: regex::Match<'_>, from: NaiveDate, to: NaiveDate, out: &mut Vec<EventDate>| {
        if taken.iter().any(|&(a, b)| m.start() < b && a < m.end()) {
            return;
        }
        taken.push((m.start(), m.end()));
        out.push(EventDate { text: m.as_str().trim().to_string(), from, to });
    };
    let latest = |month: u32, day: u32| -> Option<NaiveDate> {
        let this = NaiveDate::from_ymd_opt(published.year(), month, day)?;
        if this <= published { Some(this) } else { NaiveDate::from_ymd_opt(published.year() - 1, month, day) }
    };
    for c in DAY.captures_iter(sentence) {
        let (Some(month), Ok(day)) = (month_number(&c[1]), c[2].parse::<u32>()) else { continue };
        let date = match c.get(3).and_then(|y| y.as_str().parse::<i32>().ok()) {
            Some(y) => NaiveDate::from_ymd_opt(y, month, day),
            None => latest(month, day),
        };
        if let Some(d) = date {
            add(c.get(0).expect("match"), d, d, &mut out);
        }
    }
    for c in MONTH.captures_iter(sentence) {
        let Some(month) = month_number(&c[1]) else { continue };
        let year = match c.get(2).and_then(|y| y.as_str().parse::<i32>().ok()) {
            Some(y) => y,
            None if month_start(published.year(), month) <= published => published.year(),
            None => published.year() - 1,
        };
        add(c.get(0).expect("match"), month_start(year, month), month_end(year, month), &mut out);
    }
    for c in YEAR.captures_iter(sentence) {
        if let Ok(y) = c[1].parse::<i32>() {
            let (from, to) = year_span(y);
            add(c.get(0).expect("match"), from, to, &mut out);
        }
    }
    for c in RELATIVE.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let phrase = m.as_str().to_lowercase();
        let p = published;
        let (from, to) = if phrase == "yesterday" {
            (p - Duration::days(1), p - Duration::days(1))
        } else if phrase == "last week" {
            let monday = p - Duration::days(p.weekday().num_days_from_monday() as i64 + 7);
            (monday, monday + Duration::days(6))
        } else if phrase == "last month" {
            let (y, mo) = if p.month() == 1 { (p.year() - 1, 12) } else { (p.year(), p.month() - 1) };
            (month_start(y, mo), month_end(y, mo))
        } else if phrase == "last year" {
            year_span(p.year() - 1)
        } else if phrase.ends_with("week") {
            (p - Duration::days(p.weekday().num_days_from_monday() as i64), p)
        } else if phrase.ends_with("month") {
            (month_start(p.year(), p.month()), p)
        } else if phrase.ends_with("year") {
            (month_start(p.year(), 1), p)
        } else if let Some(unit) = c.get(3) {
            let n: i64 = match c.get(2).map(|n| n.as_str().to_lowercase()) {
                Some(n) => match n.as_str() {
                    "two" => 2,
                    "three" => 3,
                    "four" => 4,
                    "five" => 5,
                    "six" => 6,
                    "twelve" => 12,
                    digits => digits.parse().unwrap_or(3),
                },
                // "the past few months": taken as three.
                None => 3,
            };
            let days = match unit.as_str().to_lowercase().as_str() {
                "days" => n,
                "weeks" => 7 * n,
                "months" => 30 * n,
                _ => 365 * n,
            };
            (p - Duration::days(days), p)
        } else if let Some(day) = c.get(4) {
            let Ok(wd) = day.as_str().parse::<Weekday>() else { continue };
            // The latest such weekday before publication (a report names past days).
            let back = (7 + p.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64) % 7;
            let back = if back == 0 { 7 } else { back };
            (p - Duration::days(back), p - Duration::days(back))
        } else {
            continue;
        };
        add(m, from, to, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn spans(sentence: &str, published: &str) -> Vec<(String, String, String)> {
        event_dates(sentence, d(published))
            .into_iter()
            .map(|e| (e.text, e.from.to_string(), e.to.to_string()))
            .collect()
    }

    #[test]
    fn days_and_months_resolve_to_the_latest_before_publication() {
        assert_eq!(
            spans("The intrusion began on February 2nd.", "2025-03-10"),
            [("on February 2nd".into(), "2025-02-02".into(), "2025-02-02".into())]
        );
        // December named in January is last year's December.
        assert_eq!(
            spans("Fabrikam noticed the breach in December.", "2025-01-15"),
            [("in December".into(), "2024-12-01".into(), "2024-12-31".into())]
        );
        assert_eq!(
            spans("It was patched on Jan. 5, 2023.", "2025-01-15"),
            [("on Jan. 5, 2023".into(), "2023-01-05".into(), "2023-01-05".into())]
        );
    }

    #[test]
    fn relative_periods_resolve_against_publication() {
        let p = "2025-03-12"; // a Wednesday
        assert_eq!(
            spans("The gang struck last year.", p),
            [("last year".into(), "2024-01-01".into(), "2024-12-31".into())]
        );
        assert_eq!(
            spans("Attacks grew in the past few months.", p),
            [("in the past few months".into(), "2024-12-12".into(), "2025-03-12".into())]
        );
        assert_eq!(
            spans("Ruritania said on Monday it was hit.", p),
            [("on Monday".into(), "2025-03-10".into(), "2025-03-10".into())]
        );
        assert_eq!(
            spans("Systems failed yesterday.", p),
            [("yesterday".into(), "2025-03-11".into(), "2025-03-11".into())]
        );
        assert_eq!(
            spans("It began earlier this month.", p),
            [("earlier this month".into(), "2025-03-01".into(), "2025-03-12".into())]
        );
        assert_eq!(
            spans("They were first seen in 2021.", p),
            [("in 2021".into(), "2021-01-01".into(), "2021-12-31".into())]
        );
        assert_eq!(
            spans("Sales rose last month.", p),
            [("last month".into(), "2025-02-01".into(), "2025-02-28".into())]
        );
    }

    #[test]
    fn no_dates_in_plain_text() {
        assert!(spans("May we add that the network was segmented?", "2025-03-12").is_empty());
    }
}
