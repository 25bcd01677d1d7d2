//! Dates as pages write them: RFC 3339, ISO dates, "January 26, 2024",
//! "Jan 26, 2024 10:34 AM", "26 January 2024".

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
    let words: Vec<&str> = cleaned.split_whitespace().collect();
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
    fn prose_is_not_a_date() {
        check("The breach began in January.", None);
        check("Comments", None);
        check("January 2024", None);
    }
}
