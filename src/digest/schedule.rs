//! When a channel's digest is due, in its own time zone.
//!
//! A digest belongs to a *slot*: the local date it is set for. Each slot
//! posts at most once (the ledger is keyed by it), so daylight-saving
//! changes neither skip nor double a day: a time the clocks skip (02:30 on
//! the spring-forward day) is due at the first instant after the gap, and a
//! time that happens twice (the fall-back day) is due at its first.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a digest set for local time `at` in `tz` is due on `date`.
pub fn due_at(date: NaiveDate, at: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let local = date.and_time(at);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: the first local minute after it that exists.
            let mut probe = local;
            for _ in 0..(26 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// The latest slot due at or before `now`, and the instant it became due.
pub fn latest_slot(at: NaiveTime, tz: Tz, now: DateTime<Utc>) -> (NaiveDate, DateTime<Utc>) {
    let today = now.with_timezone(&tz).date_naive();
    let mut date = today;
    loop {
        let due = due_at(date, at, tz);
        if due <= now {
            return (date, due);
        }
        match date.pred_opt() {
            Some(d) if today - d <= Duration::days(3) => date = d,
            _ => return (date, due),
        }
    }
}

/// The next instant a slot becomes due after `now`.
pub fn next_due(at: NaiveTime, tz: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let mut date = now.with_timezone(&tz).date_naive();
    for _ in 0..4 {
        let due = due_at(date, at, tz);
        if due > now {
            return due;
        }
        date = date.succ_opt().unwrap_or(date);
    }
    now + Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_skipped_local_time_is_due_right_after_the_gap() {
        // Berlin springs forward at 02:00 on 2026-03-29: 02:30 does not exist.
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(due_at(d(2026, 3, 28), hm(2, 30), tz), t("2026-03-28T01:30:00Z"));
        assert_eq!(due_at(d(2026, 3, 29), hm(2, 30), tz), t("2026-03-29T01:00:00Z"), "03:00 CEST");
        assert_eq!(due_at(d(2026, 3, 30), hm(2, 30), tz), t("2026-03-30T00:30:00Z"));
    }

    #[test]
    fn a_repeated_local_time_is_due_at_its_first() {
        // New York falls back at 02:00 on 2026-11-01: 01:30 happens twice.
        let tz: Tz = "America/New_York".parse().unwrap();
        assert_eq!(due_at(d(2026, 11, 1), hm(1, 30), tz), t("2026-11-01T05:30:00Z"), "01:30 EDT");
        assert_eq!(due_at(d(2026, 11, 2), hm(1, 30), tz), t("2026-11-02T06:30:00Z"), "01:30 EST");
    }

    #[test]
    fn the_latest_and_next_slots() {
        let tz: Tz = "Asia/Tokyo".parse().unwrap();
        // 08:00 in Tokyo is 23:00 UTC the day before.
        let now = t("2026-05-10T22:00:00Z"); // 07:00 on the 11th in Tokyo
        assert_eq!(latest_slot(hm(8, 0), tz, now), (d(2026, 5, 10), t("2026-05-09T23:00:00Z")));
        assert_eq!(next_due(hm(8, 0), tz, now), t("2026-05-10T23:00:00Z"));
        let now = t("2026-05-10T23:00:00Z");
        assert_eq!(latest_slot(hm(8, 0), tz, now).0, d(2026, 5, 11), "due exactly now");
    }
}
