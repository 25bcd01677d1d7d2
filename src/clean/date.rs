//! Dates as pages write them: RFC 3339, ISO dates, "January 26, 2024",
//! "Jan 26, 2024 10:34 AM", "26 January 2024", with ordinals ("June 30th,
//! 2022") and a leading label ("Published on", "Updated:").

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Parse a date or date-time written in one of the common page formats.
/// A date without time is taken as midnight UTC.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim().trim_end_matches(['.', ',']).trim();
    if t.len() < 6 || t.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    // Drop a trailing time ("10:34 AM", "| 10:34 AM", "at 3:15 p.m.").
    let cleaned = t.replace(['|', '\u{2022}'], " ").replace(" at ", " ");
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    // A leading label: "Published on", "Updated:", "Posted".
    while let Some(w) = words.first()
        && matches!(
            w.trim_end_matches(':').to_ascii_lowercase().as_str(),
            "published" | "posted" | "updated" | "last" | "on" | "date" | "dated"
        )
    {
        words.remove(0);
    }
    // Ordinals: "June 30th" is June 30.
    let unordinal: Vec<String> = words.iter().map(|w| strip_ordinal(w)).collect();
    let words: Vec<&str> = unordinal.iter().map(String::as_str).collect();
    let date_words: Vec<&str> = words.iter().take_while(|w| !w.contains(':')).copied().collect();
    let date_text = date_words.join(" ").replace(",", "").replace(".", "");
    let time = words.iter().position(|w| w.contains(':')).and_then(|i| parse_time(&words[i..].join(" ")));
    const FORMATS: &[&str] =
        &["%Y-%m-%d", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%A %B %d %Y", "%a %b %d %Y", "%Y/%m/%d"];
    for f in FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(&date_text, f)
            && (1970..=2100).contains(&chrono::Datelike::year(&d))
        {
            let t = time.unwrap_or(NaiveTime::MIN);
            return Some(Utc.from_utc_datetime(&d.and_time(t)));
        }
    }
    None
}

/// A date written inside a line of text ("Jane Roe, Contributor Jan. 20,
/// 2020 at 2:27 a.m. PT In a statement ..."): the first month-name or ISO
/// date, with its time if one follows, and where it starts.
pub fn find_date(text: &str) -> Option<(usize, DateTime<Utc>)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"(?i)(?-u:\b)(?:",
            r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}",
            r"|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{4}",
            r"|\d{4}-\d{2}-\d{2}",
            r")(?:,? (?:at )?\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?)?",
        ))
        .expect("valid regex")
    });
    DATE.find_iter(text).find_map(|m| parse_date(m.as_str()).map(|d| (m.start(), d)))
}

/// "30th," is "30,"; other words are kept as they are.
fn strip_ordinal(word: &str) -> String {
    let core = word.trim_end_matches([',', '.']);
    let tail = &word[core.len()..];
    let lower = core.to_ascii_lowercase();
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(digits) = lower.strip_suffix(suffix)
            && !digits.is_empty()
            && digits.len() <= 2
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return format!("{digits}{tail}");
        }
    }
    word.to_string()
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let s = s.replace('.', "").to_ascii_uppercase();
    let s = s.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
    for f in ["%I:%M %p", "%H:%M", "%H:%M:%S"] {
        if let Ok(t) = NaiveTime::parse_from_str(&s, f) {
            return Some(t);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Option<&str>) {
        let got = parse_date(text).map(|d| d.to_rfc3339());
        assert_eq!(got.as_deref(), expect, "parsing {text:?}");
    }

    #[test]
    fn page_date_formats() {
        check("2024-01-26", Some("2024-01-26T00:00:00+00:00"));
        check("2024-01-26T14:05:00Z", Some("2024-01-26T14:05:00+00:00"));
        check("January 26, 2024", Some("2024-01-26T00:00:00+00:00"));
        check("Jan 26, 2024 10:34 AM", Some("2024-01-26T10:34:00+00:00"));
        check("February 14, 2024 | 03:15 PM", Some("2024-02-14T15:15:00+00:00"));
        check("26 January 2024", Some("2024-01-26T00:00:00+00:00"));
        check("Fri, 26 Jan 2024 10:00:00 +0100", Some("2024-01-26T09:00:00+00:00"));
    }

    #[test]
    fn byline_dates_with_ordinals_labels_and_zones() {
        check("June 30th, 2022", Some("2022-06-30T00:00:00+00:00"));
        check("March 1st 2023", Some("2023-03-01T00:00:00+00:00"));
        check("22nd August 2024", Some("2024-08-22T00:00:00+00:00"));
        check("Published on July 31, 2023", Some("2023-07-31T00:00:00+00:00"));
        check("Updated: 31 July 2023", Some("2023-07-31T00:00:00+00:00"));
        check("Jul 31, 2023 10:05 AM ET", Some("2023-07-31T10:05:00+00:00"));
        check("Posted 2023-07-31", Some("2023-07-31T00:00:00+00:00"));
        // Words that merely end like ordinals stay words.
        check("The 4th quarter", None);
        check("Published in the north", None);
    }

    #[test]
    fn prose_is_not_a_date() {
        check("The breach began in January.", None);
        check("Comments", None);
        check("January 2024", None);
    }
}
