//! Working days: weekends, public holidays and transferred days off, for the law's deadlines
//! ("пять рабочих дней"). The days themselves are data (`schemas/holidays-kz-*.toml`); this
//! module only counts.
//!
//! A year without a holiday file is counted with weekends only, and says so
//! ([`WorkCalendar::covers`]), so a report can warn that its deadline may be early.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::date::Date;

/// One `holidays-*.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    pub year: i32,
    #[serde(default)]
    pub holiday: Vec<Holiday>,
    #[serde(default)]
    pub day_off: Vec<DayOff>,
    /// Weekend days made working days by a government decree.
    #[serde(default)]
    pub working_day: Vec<DayOff>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
    /// Religious holidays are not moved when they fall on a weekend.
    #[serde(default)]
    pub religious: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayOff {
    pub date: Date,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    non_working: BTreeSet<Date>,
    working_weekends: BTreeSet<Date>,
    years: BTreeSet<i32>,
}

impl WorkCalendar {
    pub fn from_files(files: &[HolidayFile]) -> Result<WorkCalendar, String> {
        let mut calendar = WorkCalendar::default();
        for file in files {
            calendar.add(file)?;
        }
        Ok(calendar)
    }

    /// Adds one year's file; a date outside its year is an error.
    pub fn add(&mut self, file: &HolidayFile) -> Result<(), String> {
        let mut dates = file
            .holiday
            .iter()
            .map(|h| h.date)
            .chain(file.day_off.iter().map(|d| d.date))
            .chain(file.working_day.iter().map(|d| d.date));
        if let Some(stray) = dates.find(|d| d.year() != file.year) {
            return Err(format!("{stray} is not in the file's year {}", file.year));
        }
        self.years.insert(file.year);
        self.non_working.extend(file.holiday.iter().map(|h| h.date));
        self.non_working.extend(file.day_off.iter().map(|d| d.date));
        self.working_weekends.extend(file.working_day.iter().map(|d| d.date));
        Ok(())
    }

    /// Whether holidays of `year` are known (otherwise only weekends are skipped).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        if self.working_weekends.contains(&date) {
            return true;
        }
        date.weekday() <= 5 && !self.non_working.contains(&date)
    }

    /// The `n`-th working day after `start` (the start day itself is not counted: a period
    /// "from the day of receipt" begins on the next day).
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date.add_days(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days after `from` up to and including `to`; negative when `to` is earlier.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let (low, high, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0;
        let mut date = low;
        while date < high {
            date = date.add_days(1);
            if self.is_working_day(date) {
                count += 1;
            }
        }
        sign * count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn shipped() -> HolidayFile {
        toml::from_str(include_str!("../schemas/holidays-kz-2026.toml")).unwrap()
    }

    #[test]
    fn shipped_2026_file_follows_the_transfer_rule() {
        let file = shipped();
        let calendar = WorkCalendar::from_files(std::slice::from_ref(&file)).unwrap();
        // Every non-religious holiday on a weekend needs one transferred day off, after it, on a weekday.
        let on_weekend: Vec<&Holiday> = file
            .holiday
            .iter()
            .filter(|h| !h.religious && h.date.weekday() >= 6)
            .collect();
        assert_eq!(
            on_weekend.len(),
            file.day_off.len(),
            "one transferred day per weekend holiday"
        );
        for day in &file.day_off {
            assert!(day.date.weekday() <= 5, "{} is a weekend already", day.date);
            assert!(!calendar.is_working_day(day.date));
        }
        for holiday in &on_weekend {
            assert!(
                file.day_off
                    .iter()
                    .any(|d| d.date > holiday.date && d.date <= holiday.date.add_days(7)),
                "{} has no transferred day off",
                holiday.date
            );
        }
        // Spot checks against the calendar: 8 March 2026 is a Sunday, 9 May a Saturday.
        assert_eq!(d("2026-03-08").weekday(), 7);
        assert_eq!(d("2026-05-09").weekday(), 6);
        assert_eq!(d("2026-05-27").weekday(), 3);
        assert!(calendar.covers(2026) && !calendar.covers(2027));
    }

    #[test]
    fn five_working_days_skip_weekends_and_holidays() {
        let calendar = WorkCalendar::from_files(&[shipped()]).unwrap();
        // Received Monday 16 Nov 2026: Tue..Fri are 4 days, Monday 23 Nov is the fifth.
        assert_eq!(calendar.add_working_days(d("2026-11-16"), 5), d("2026-11-23"));
        // Received Friday 20 March 2026: 21-25 March are days off (Nauryz and its transfers).
        assert_eq!(calendar.add_working_days(d("2026-03-20"), 1), d("2026-03-26"));
        assert_eq!(calendar.add_working_days(d("2026-03-20"), 5), d("2026-04-01"));
        // Received the day before Independence Day (Wednesday 16 Dec 2026): 17, 18, 21, 22, 23 Dec.
        assert_eq!(calendar.add_working_days(d("2026-12-15"), 5), d("2026-12-23"));
        // Without holiday data only weekends count.
        let bare = WorkCalendar::default();
        assert_eq!(bare.add_working_days(d("2026-03-20"), 1), d("2026-03-23"));
    }

    #[test]
    fn counts_working_days_both_ways() {
        let calendar = WorkCalendar::from_files(&[shipped()]).unwrap();
        assert_eq!(calendar.working_days_between(d("2026-11-22"), d("2026-11-23")), 1);
        assert_eq!(calendar.working_days_between(d("2026-11-23"), d("2026-11-23")), 0);
        assert_eq!(calendar.working_days_between(d("2026-11-25"), d("2026-11-23")), -2);
        assert_eq!(calendar.working_days_between(d("2026-11-20"), d("2026-11-27")), 5);
    }

    #[test]
    fn rejects_a_date_outside_the_files_year() {
        let file: HolidayFile =
            toml::from_str("year = 2026\n[[holiday]]\ndate = \"2027-01-01\"\nname = \"x\"").unwrap();
        assert!(WorkCalendar::from_files(&[file]).is_err());
    }
}
