//! The viewer's time zone: its IANA name as links carry it (`?tz=Europe/Berlin`),
//! and its offsets from UTC over the window a page shows, so that times are
//! placed and printed in it — on the server, and in the browser without a
//! time-zone database.
//!
//! Names are resolved, and offset tables made, with the IANA database that
//! jiff bundles (the `tzdb` feature: the server and its rendering, never
//! the browser's bundle). A table is plain data: the offsets in effect from
//! each transition on, with their abbreviations (`CET`, `CEST`, `+0530`).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    calendar::{Civil, civil},
    inline_text::InlineText,
};

/// The longest zone name accepted (the IANA database's longest is 32).
pub const MAX_ZONE_NAME: usize = 40;

/// A time zone's IANA name (`Europe/Berlin`, `UTC`), of a shape the
/// database uses: letters, digits, `_ - +`, and `/` between parts. Stored
/// inline so that a view stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZoneName(InlineText<MAX_ZONE_NAME>);

impl ZoneName {
    /// Coordinated Universal Time, the default.
    pub const UTC: ZoneName = ZoneName(InlineText::constant("UTC"));

    /// The name as written in links.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The `tz=…` a link carries for this zone; `None` for UTC, which
    /// links leave out. `+` (`Etc/GMT+5`) is escaped, as it would read
    /// back as a space.
    pub fn query_pair(&self) -> Option<String> {
        (!self.is_utc()).then(|| format!("tz={}", self.as_str().replace('+', "%2B")))
    }

    /// Whether this is UTC (links leave it out).
    pub fn is_utc(&self) -> bool {
        *self == Self::UTC
    }

    /// Whether `text` has the shape of a zone name.
    fn well_formed(text: &str) -> bool {
        (1..=MAX_ZONE_NAME).contains(&text.len())
            && text.split('/').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+'))
            })
    }
}

impl Default for ZoneName {
    fn default() -> Self {
        Self::UTC
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ZoneName({:?})", self.as_str())
    }
}

/// Why a `tz` value was refused; shown to the viewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {given:?}: use an IANA name such as Europe/Berlin or UTC")]
pub struct UnknownZone {
    /// The value the viewer sent.
    pub given: String,
}

impl FromStr for ZoneName {
    type Err = UnknownZone;

    /// Reads a zone name. With the `tzdb` feature the database must know
    /// it (in any case, as the database itself matches names), and it is
    /// kept in the database's spelling; `UTC`, `Etc/UTC`, `Zulu` and the
    /// database's other names of UTC are one zone.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownZone {
            given: text.chars().take(MAX_ZONE_NAME * 2).collect(),
        };
        if !Self::well_formed(text) {
            return Err(unknown());
        }
        let canonical = canonical_name(text).ok_or_else(unknown)?;
        let name = InlineText::new(&canonical)
            .map(ZoneName)
            .ok_or_else(unknown)?;
        Ok(if is_utc_alias(name.as_str()) {
            Self::UTC
        } else {
            name
        })
    }
}

/// The UTC spellings links may carry.
fn is_utc_alias(name: &str) -> bool {
    [
        "UTC",
        "Etc/UTC",
        "Etc/UCT",
        "UCT",
        "Zulu",
        "Etc/Zulu",
        "Universal",
        "Etc/Universal",
    ]
    .iter()
    .any(|alias| alias.eq_ignore_ascii_case(name))
}

/// The database's own spelling of `name`, when it knows the zone.
#[cfg(feature = "tzdb")]
fn canonical_name(name: &str) -> Option<String> {
    if is_utc_alias(name) {
        return Some("UTC".to_owned());
    }
    let zone = jiff::tz::TimeZone::get(name).ok()?;
    Some(zone.iana_name().unwrap_or(name).to_owned())
}

/// Without the database (the browser), a well-formed name is taken as
/// written: the server has already checked the names it links to.
#[cfg(not(feature = "tzdb"))]
fn canonical_name(name: &str) -> Option<String> {
    Some(name.to_owned())
}

impl Serialize for ZoneName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ZoneName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A page's URL (`path` and `query`, with or without its `?`, as the
/// browser has them) showing times in `zone`: its `tz` replaced (left out
/// for UTC), the rest of the query kept as it was.
pub fn with_zone(path: &str, query: &str, zone: ZoneName) -> String {
    crate::link::with_pair(path, query, "tz", zone.query_pair().as_deref())
}

/// The instant at which clocks in `zone` read `wall` (a reading as unix
/// seconds taken as UTC): the earlier when clocks turn back, the moment of
/// the skip for a reading they skip. Without the database, `wall` itself.
pub fn instant_of(zone: ZoneName, wall: i64) -> i64 {
    #[cfg(feature = "tzdb")]
    {
        Zone::resolve(
            zone,
            wall.saturating_sub(2 * 86_400),
            wall.saturating_add(2 * 86_400),
        )
        .instant_or_after_gap(wall)
    }
    #[cfg(not(feature = "tzdb"))]
    {
        let _ = zone;
        wall
    }
}

/// One offset of a zone, in effect from an instant on. On the wire (island
/// props) a tuple, `[from, seconds, abbreviation]`: a struct an island
/// deserializes costs the browser's first load a parser of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "(i64, i32, String)", from = "(i64, i32, String)")]
pub struct ZoneOffset {
    /// From when (unix seconds); the table's first offset also holds
    /// before it.
    pub from: i64,
    /// Seconds east of UTC.
    pub seconds: i32,
    /// What clocks call it then: `CET`, `CEST`, `UTC`, `+0530`.
    pub abbreviation: String,
}

/// A zone's offsets over a window: what a page needs to place and print
/// times in it. On the wire a tuple, `[name, offsets]`, as
/// [`ZoneOffset`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    into = "(ZoneName, Vec<ZoneOffset>)",
    from = "(ZoneName, Vec<ZoneOffset>)"
)]
pub struct Zone {
    /// Its name.
    pub name: ZoneName,
    /// Its offsets, oldest first; never empty.
    pub offsets: Vec<ZoneOffset>,
}

impl Default for Zone {
    fn default() -> Self {
        Self::utc()
    }
}

impl From<ZoneOffset> for (i64, i32, String) {
    fn from(offset: ZoneOffset) -> Self {
        (offset.from, offset.seconds, offset.abbreviation)
    }
}

impl From<(i64, i32, String)> for ZoneOffset {
    fn from((from, seconds, abbreviation): (i64, i32, String)) -> Self {
        Self {
            from,
            seconds,
            abbreviation,
        }
    }
}

impl From<Zone> for (ZoneName, Vec<ZoneOffset>) {
    fn from(zone: Zone) -> Self {
        (zone.name, zone.offsets)
    }
}

impl From<(ZoneName, Vec<ZoneOffset>)> for Zone {
    fn from((name, offsets): (ZoneName, Vec<ZoneOffset>)) -> Self {
        Self { name, offsets }
    }
}

impl Zone {
    /// UTC.
    pub fn utc() -> Self {
        Self {
            name: ZoneName::UTC,
            offsets: vec![ZoneOffset {
                from: i64::MIN,
                seconds: 0,
                abbreviation: "UTC".to_owned(),
            }],
        }
    }

    /// The offsets of `name` in effect anywhere in `from..=to` (unix
    /// seconds), from the bundled database; UTC for a name it does not know.
    #[cfg(feature = "tzdb")]
    pub fn resolve(name: ZoneName, from: i64, to: i64) -> Self {
        use jiff::{Timestamp, tz::TimeZone};
        if name.is_utc() {
            return Self::utc();
        }
        let Ok(zone) = TimeZone::get(name.as_str()) else {
            return Self::utc();
        };
        let clamp = |t: i64| {
            Timestamp::from_second(t.clamp(
                Timestamp::MIN.as_second() + 86_400,
                Timestamp::MAX.as_second() - 86_400,
            ))
            .unwrap_or(Timestamp::UNIX_EPOCH)
        };
        let start = clamp(from);
        let first = zone.to_offset_info(start);
        let mut offsets = vec![ZoneOffset {
            from: i64::MIN,
            seconds: first.offset().seconds(),
            abbreviation: first.abbreviation().to_owned(),
        }];
        let end = clamp(to);
        offsets.extend(
            zone.following(start)
                .take_while(|transition| transition.timestamp() <= end)
                .map(|transition| ZoneOffset {
                    from: transition.timestamp().as_second(),
                    seconds: transition.offset().seconds(),
                    abbreviation: transition.abbreviation().to_owned(),
                }),
        );
        Self { name, offsets }
    }

    /// The offset in effect at `t`.
    pub fn offset_at(&self, t: i64) -> Option<&ZoneOffset> {
        let after = self.offsets.partition_point(|offset| offset.from <= t);
        self.offsets.get(after.saturating_sub(1))
    }

    /// Seconds east of UTC at `t`.
    fn seconds_at(&self, t: i64) -> i64 {
        self.offset_at(t)
            .map_or(0, |offset| i64::from(offset.seconds))
    }

    /// What clocks in the zone read at `t`, as unix seconds of that
    /// reading taken as UTC ("wall" seconds).
    pub fn wall(&self, t: i64) -> i64 {
        t.saturating_add(self.seconds_at(t))
    }

    /// `t`'s calendar date and time in the zone.
    pub fn civil(&self, t: i64) -> Civil {
        civil(self.wall(t))
    }

    /// The zone's abbreviation at `t`: `CEST`, `UTC`.
    pub fn abbreviation(&self, t: i64) -> &str {
        self.offset_at(t)
            .map_or("UTC", |offset| offset.abbreviation.as_str())
    }

    /// The instant at which clocks in the zone read `wall`: the earlier
    /// of two when clocks turn back (an hour read twice); `None` for a
    /// reading clocks skip when they go forward.
    pub fn instant(&self, wall: i64) -> Option<i64> {
        self.offsets
            .iter()
            .map(|offset| wall.saturating_sub(i64::from(offset.seconds)))
            .filter(|t| self.wall(*t) == wall)
            .min()
    }

    /// The instant of `wall`, or for a skipped reading the moment clocks
    /// skipped it (`02:30` on a spring-forward night is `03:00`).
    pub fn instant_or_after_gap(&self, wall: i64) -> i64 {
        self.instant(wall).unwrap_or_else(|| {
            // The reading's instant under each offset: the skip lies
            // between the earliest and the latest of them.
            let candidates = || {
                self.offsets
                    .iter()
                    .map(|offset| wall.saturating_sub(i64::from(offset.seconds)))
            };
            let early = candidates().min().unwrap_or(wall);
            let late = candidates().max().unwrap_or(wall);
            self.offsets
                .iter()
                .map(|offset| offset.from)
                .find(|from| (early..=late).contains(from))
                .unwrap_or(late)
        })
    }

    /// A full timestamp for tables, with the zone: `2026-01-28 12:00 CET`.
    pub fn format_timestamp(&self, t: i64) -> String {
        let c = self.civil(t);
        format!(
            "{}-{:02}-{:02} {:02}:{:02} {}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            self.abbreviation(t)
        )
    }

    /// A full timestamp whose precision fits the span shown: seconds for
    /// a day or less (points may be seconds apart), minutes beyond.
    pub fn format_timestamp_in(&self, t: i64, span_seconds: i64) -> String {
        if span_seconds > 86_400 {
            return self.format_timestamp(t);
        }
        let c = self.civil(t);
        format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02} {}",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            self.wall(t).rem_euclid(60),
            self.abbreviation(t)
        )
    }

    /// The time of day with the zone: `12:05 CEST`.
    pub fn format_clock(&self, t: i64) -> String {
        let c = self.civil(t);
        format!("{:02}:{:02} {}", c.hour, c.minute, self.abbreviation(t))
    }

    /// `t` as a browser's date-time field shows it, in the zone:
    /// `2026-11-01T09:30`.
    pub fn format_input(&self, t: i64) -> String {
        let c = self.civil(t);
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute
        )
    }

    /// The table for `from..=to` only: what a chart carries to the browser.
    pub fn within(&self, from: i64, to: i64) -> Self {
        let first = self.offsets.partition_point(|offset| offset.from <= from);
        let mut offsets: Vec<ZoneOffset> = self
            .offsets
            .iter()
            .skip(first.saturating_sub(1))
            .take_while(|offset| offset.from <= to)
            .cloned()
            .collect();
        if let Some(head) = offsets.first_mut() {
            head.from = i64::MIN;
        }
        if offsets.is_empty() {
            return Self::utc();
        }
        Self {
            name: self.name,
            offsets,
        }
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn a_link_to_another_zone_keeps_the_rest_of_the_query() {
        let tokyo: ZoneName = "Asia/Tokyo".parse().expect("a name");
        assert_eq!(
            with_zone("/d/api", "?range=7d&tz=Europe/Berlin&theme=dark", tokyo),
            "/d/api?range=7d&theme=dark&tz=Asia/Tokyo"
        );
        assert_eq!(
            with_zone("/status", "tz=Asia/Tokyo", ZoneName::UTC),
            "/status"
        );
        assert_eq!(
            with_zone("/status", "", "Etc/GMT+5".parse().expect("a name")),
            "/status?tz=Etc/GMT%2B5"
        );
    }
}

#[cfg(all(test, feature = "tzdb"))]
mod tests {
    use super::*;
    use crate::calendar::parse_instant;

    #[test]
    fn a_zone_crosses_the_wire_as_arrays_and_back() {
        let zone = Zone {
            name: "Europe/Berlin".parse().expect("a zone name"),
            offsets: vec![
                ZoneOffset {
                    from: 0,
                    seconds: 3600,
                    abbreviation: "CET".to_owned(),
                },
                ZoneOffset {
                    from: 1_774_746_000,
                    seconds: 7200,
                    abbreviation: "CEST".to_owned(),
                },
            ],
        };
        let wire = serde_json::to_string(&zone).expect("serializes");
        assert_eq!(
            wire,
            r#"["Europe/Berlin",[[0,3600,"CET"],[1774746000,7200,"CEST"]]]"#
        );
        assert_eq!(
            serde_json::from_str::<Zone>(&wire).expect("deserializes"),
            zone
        );
        for malformed in [
            r#"["Europe/Berlin"]"#,
            r#"["Europe/Berlin",[[0,3600]]]"#,
            r#"["no such/zone name!",[]]"#,
            r#"{"name":"UTC","offsets":[]}"#,
        ] {
            assert!(
                serde_json::from_str::<Zone>(malformed).is_err(),
                "{malformed}"
            );
        }
    }

    fn at(text: &str) -> i64 {
        parse_instant(text).expect("a time")
    }

    fn berlin_2026() -> Zone {
        Zone::resolve(
            "Europe/Berlin".parse().expect("known"),
            at("2026-01-01"),
            at("2026-12-31"),
        )
    }

    #[test]
    fn names_are_checked_against_the_database_and_utc_has_one_spelling() {
        assert_eq!(
            "europe/berlin".parse::<ZoneName>().map(|z| z.to_string()),
            Ok("Europe/Berlin".to_owned())
        );
        for utc in ["UTC", "utc", "Etc/UTC", "Zulu"] {
            assert_eq!(utc.parse::<ZoneName>(), Ok(ZoneName::UTC), "{utc}");
        }
        for refused in [
            "",
            "Mars/Olympus",
            "Europe/../etc/passwd",
            "Europe//Berlin",
            "/Europe/Berlin",
            "Europe/Berlin ",
            "Europe/Berlin%00",
            "<script>",
            &"A".repeat(41),
        ] {
            let error = refused.parse::<ZoneName>().expect_err(refused);
            assert!(error.to_string().contains("IANA name"), "{error}");
        }
        assert_eq!(
            "Etc/GMT+5".parse::<ZoneName>().map(|z| z.to_string()),
            Ok("Etc/GMT+5".to_owned())
        );
    }

    #[test]
    fn offsets_follow_daylight_saving_time() {
        let berlin = berlin_2026();
        // Clocks went forward at 01:00 UTC on 29 March and back at 01:00
        // UTC on 25 October.
        assert_eq!(berlin.offsets.len(), 3, "{berlin:?}");
        let winter = at("2026-03-29T00:59");
        let summer = at("2026-03-29T01:00");
        assert_eq!(
            (berlin.civil(winter).hour, berlin.abbreviation(winter)),
            (1, "CET")
        );
        assert_eq!(
            (berlin.civil(summer).hour, berlin.abbreviation(summer)),
            (3, "CEST")
        );
        assert_eq!(berlin.abbreviation(at("2026-10-25T01:00")), "CET");
    }

    #[test]
    fn wall_times_in_gaps_and_overlaps_resolve_as_clocks_read_them() {
        let berlin = berlin_2026();
        // 02:30 on 29 March never happened; 03:00 CEST came instead.
        assert_eq!(berlin.instant(at("2026-03-29T02:30")), None);
        assert_eq!(
            berlin.instant_or_after_gap(at("2026-03-29T02:30")),
            at("2026-03-29T01:00")
        );
        // 02:30 on 25 October happened twice; the earlier (CEST) is taken.
        assert_eq!(
            berlin.instant(at("2026-10-25T02:30")),
            Some(at("2026-10-25T00:30"))
        );
        // An ordinary reading is one instant.
        assert_eq!(
            berlin.instant(at("2026-06-01T12:00")),
            Some(at("2026-06-01T10:00"))
        );
    }

    #[test]
    fn a_table_cut_to_a_window_keeps_what_holds_in_it() {
        let berlin = berlin_2026();
        let summer = berlin.within(at("2026-06-01"), at("2026-06-30"));
        assert_eq!(summer.offsets.len(), 1);
        assert_eq!(summer.abbreviation(at("2026-06-15")), "CEST");
        let spring = berlin.within(at("2026-03-28"), at("2026-03-30"));
        assert_eq!(spring.offsets.len(), 2);
        assert_eq!(spring.abbreviation(at("2026-03-28")), "CET");
        assert_eq!(Zone::utc().civil(at("2026-06-01T12:00")).hour, 12);
        let unknown = Zone::resolve(ZoneName::UTC, 0, 1);
        assert_eq!(unknown, Zone::utc());
    }

    #[test]
    fn zones_without_letters_show_their_offset() {
        let kolkata = Zone::resolve("Asia/Kolkata".parse().expect("known"), 0, at("2026-01-01"));
        assert_eq!(kolkata.civil(at("2026-06-01T12:00")).minute, 30);
        assert_eq!(kolkata.abbreviation(at("2026-06-01")), "IST");
    }
}
