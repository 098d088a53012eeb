//! The fleet as `watch` shows it: per device, its latest push and when it came. Pure and
//! single-threaded: the caller shares it behind a lock and passes the time in, so tests can too.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::pipeline::alarm::{Raised, Rules};
use crate::pipeline::push::Push;
use crate::pipeline::reading;
use crate::visible::{push_visible, visible};

/// What `watch` knows of one device.
#[derive(Debug, Clone)]
pub struct Device {
    pub sn: String,
    pub device_type: String,
    /// The latest push's readings (`data`); empty for a push that has none.
    pub data: Map<String, Value>,
    /// The latest push was encrypted and could not be decrypted (no or a wrong AppKey).
    pub encrypted: bool,
    /// When the latest push arrived.
    pub last_seen: Instant,
    pub pushes: u64,
    /// The fleet's count of pushes when this device's latest came: its place in [`Fleet`]'s age order.
    stamp: u64,
    /// The alarms among the latest readings (the battery's included), found when the push came.
    alarms: Vec<Raised>,
    /// The latest push's `interval`, read when it came: each frame asks every device whether it is
    /// silent.
    interval: Option<Duration>,
    /// The battery's level for [`Sort::Battery`], read when the push came (none: last).
    battery_level: f64,
}

/// One reading as a row shows it: `temperature=23.5°C`, and whether it means trouble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub text: String,
    pub alarm: bool,
}

impl Device {
    /// The battery reading, if the latest push had one.
    pub fn battery(&self) -> Option<&Value> {
        self.data.get("battery")
    }

    /// How often the device says it reports (`interval`, seconds).
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// The `interval` reading of `data`, if it is a positive number of seconds.
    fn read_interval(data: &Map<String, Value>) -> Option<Duration> {
        let seconds = data.get("interval")?.as_f64()?;
        (seconds.is_finite() && seconds > 0.0).then(|| Duration::from_secs_f64(seconds.min(1e9)))
    }

    /// Not heard from for more than twice its own interval (docs/service.md, "Push format").
    /// Without an interval, never.
    pub fn is_silent(&self, now: Instant) -> bool {
        self.interval().is_some_and(|interval| now.saturating_duration_since(self.last_seen) > interval * 2)
    }

    /// The alarms among the latest readings (the battery's included).
    pub fn alarms(&self) -> &[Raised] {
        &self.alarms
    }

    /// True when the reading at `path` raised an alarm.
    pub fn is_alarm(&self, path: &str) -> bool {
        self.alarms.iter().any(|alarm| alarm.reading == path)
    }

    /// The readings to show beside the battery: all but `battery` and `interval`, which have their
    /// own column and meaning. Formatted on each call: only for the rows on the screen.
    pub fn readings(&self) -> Vec<Reading> {
        let mut readings = Vec::new();
        self.visit_readings(|text, alarm| readings.push(Reading { text: text.to_owned(), alarm }));
        readings
    }

    /// Formats each reading shown (see [`Device::readings`]) in turn into one buffer.
    fn visit_readings(&self, mut each: impl FnMut(&str, bool)) {
        let mut text = Vec::new();
        reading::visit(&self.data, |path, leaf, value| {
            if path == "battery" || path == "interval" {
                return;
            }
            text.clear();
            push_visible(&mut text, path);
            text.push(b'=');
            reading::write_value(&mut text, value);
            text.extend_from_slice(reading::unit_for(leaf, value).as_bytes());
            each(&String::from_utf8_lossy(&text), self.is_alarm(path));
        });
    }

    /// True when `test` holds for the text of one of the readings shown.
    fn any_reading(&self, test: impl Fn(&str) -> bool) -> bool {
        let mut found = false;
        self.visit_readings(|text, _| found = found || test(text));
        found
    }

    /// True when `needle` (lower case) is in the SN, the type, a reading, or names the row's state
    /// (`alarm`, `silent`).
    fn matches(&self, needle: &str, now: Instant) -> bool {
        let has = |text: &str| text.to_lowercase().contains(needle);
        has(&self.sn)
            || has(&self.device_type)
            || self.any_reading(has)
            || (!self.alarms().is_empty() && "alarm".contains(needle))
            || (self.is_silent(now) && "silent".contains(needle))
    }
}

/// The orders `s` cycles through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Most recently heard first.
    LastSeen,
    Sn,
    /// By type, then SN.
    Type,
    /// Lowest battery first; devices without one last.
    Battery,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::LastSeen => Sort::Sn,
            Sort::Sn => Sort::Type,
            Sort::Type => Sort::Battery,
            Sort::Battery => Sort::LastSeen,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sort::LastSeen => "last seen",
            Sort::Sn => "SN",
            Sort::Type => "type",
            Sort::Battery => "battery",
        }
    }
}

/// How far back the pushes/s figure looks.
const RATE_WINDOW: Duration = Duration::from_secs(5);

/// The most devices `watch` holds (docs/reliability.md): a push from one more makes the device
/// heard from longest ago leave the table, and the status line counts it. Memory stays bounded
/// however many serial numbers the pushes carry.
pub const FLEET_LIMIT: usize = 100_000;

#[derive(Debug)]
pub struct Fleet {
    /// The alarm rules (the defaults, or the user's: `--alarm`, a profile's `alarms`).
    rules: Rules,
    devices: HashMap<String, Device>,
    /// Serial numbers by their device's `stamp`: the first is the one heard from longest ago.
    by_age: BTreeMap<u64, String>,
    limit: usize,
    /// Devices that left to make room.
    evicted: u64,
    /// Devices whose latest readings hold an alarm, kept as pushes come: a frame counts none.
    alarming: usize,
    pushes: u64,
    /// (when, pushes so far), oldest first, over the last [`RATE_WINDOW`].
    samples: VecDeque<(Instant, u64)>,
}

impl Default for Fleet {
    fn default() -> Self {
        Fleet::with_limit(FLEET_LIMIT)
    }
}

impl Fleet {
    /// A fleet that holds at most `limit` devices (at least one).
    pub fn with_limit(limit: usize) -> Self {
        Fleet {
            rules: Rules::default(),
            devices: HashMap::new(),
            by_age: BTreeMap::new(),
            limit: limit.max(1),
            evicted: 0,
            alarming: 0,
            pushes: 0,
            samples: VecDeque::new(),
        }
    }

    /// An empty fleet whose alarms are those `rules` find.
    pub fn new(rules: Rules) -> Fleet {
        Fleet { rules, ..Fleet::default() }
    }

    /// Takes a push that passed the filters: it becomes its device's latest.
    pub fn record(&mut self, push: &Push, now: Instant) {
        self.pushes += 1;
        let sn_text = push.sn_text();
        let sn = sn_text.as_deref().unwrap_or("-");
        let (device, name) = match self.devices.get_mut(sn) {
            Some(device) => {
                let name = self.by_age.remove(&device.stamp).unwrap_or_else(|| sn.to_owned());
                (device, name)
            }
            None => {
                if self.devices.len() >= self.limit {
                    self.evict_oldest();
                }
                let device = self.devices.entry(sn.to_owned()).or_insert_with(|| Device {
                    // Shown in a cell: what a terminal would act on is escaped (crate::visible).
                    sn: visible(sn).into_owned(),
                    device_type: String::new(),
                    data: Map::new(),
                    encrypted: false,
                    last_seen: now,
                    pushes: 0,
                    stamp: 0,
                    alarms: Vec::new(),
                    interval: None,
                    battery_level: f64::INFINITY,
                });
                (device, sn.to_owned())
            }
        };
        device.stamp = self.pushes;
        self.by_age.insert(self.pushes, name);
        device.device_type.clear();
        device.device_type.push_str(&visible(push.device_type().unwrap_or("-")));
        device.data = push.data().cloned().unwrap_or_default();
        device.interval = Device::read_interval(&device.data);
        device.battery_level = device.battery().and_then(Value::as_f64).unwrap_or(f64::INFINITY);
        let was_alarming = !device.alarms.is_empty();
        device.alarms = self.rules.check(&device.data);
        self.alarming = self.alarming + usize::from(!device.alarms.is_empty()) - usize::from(was_alarming);
        device.encrypted = push.is_encrypted();
        device.last_seen = now;
        device.pushes += 1;
    }

    pub fn len(&self) -> usize {
        self.devices.len()
    }

    /// Devices that left the table to make room for new ones ([`FLEET_LIMIT`]).
    #[cfg(test)]
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    fn evict_oldest(&mut self) {
        if let Some((_, sn)) = self.by_age.pop_first() {
            if let Some(device) = self.devices.remove(&sn) {
                self.alarming -= usize::from(!device.alarms.is_empty());
            }
            self.evicted += 1;
        }
    }

    #[cfg(test)]
    pub fn pushes(&self) -> u64 {
        self.pushes
    }

    /// Devices whose latest readings hold an alarm.
    pub fn alarms(&self) -> usize {
        self.alarming
    }

    pub fn silent(&self, now: Instant) -> usize {
        self.devices.values().filter(|d| d.is_silent(now)).count()
    }

    /// Notes the push count now; call it on every tick of the screen.
    pub fn sample(&mut self, now: Instant) {
        while self.samples.front().is_some_and(|(at, _)| now.saturating_duration_since(*at) > RATE_WINDOW) {
            self.samples.pop_front();
        }
        self.samples.push_back((now, self.pushes));
    }

    /// Pushes per second over the last few seconds of samples.
    pub fn rate(&self) -> f64 {
        match (self.samples.front(), self.samples.back()) {
            (Some((from, before)), Some((to, after))) if to > from => {
                (after - before) as f64 / to.duration_since(*from).as_secs_f64()
            }
            _ => 0.0,
        }
    }

    /// The devices to show, filtered by `filter` (case-insensitive; empty shows all), in `sort` order.
    #[cfg(test)]
    pub fn rows(&self, sort: Sort, filter: &str, now: Instant) -> Vec<&Device> {
        let mut rows = self.matching(filter, now);
        rows.sort_by(|a, b| sort.compare(a, b));
        rows
    }

    /// The devices `filter` matches (case-insensitive; empty matches all), in no order.
    fn matching(&self, filter: &str, now: Instant) -> Vec<&Device> {
        let needle = filter.trim().to_lowercase();
        self.devices.values().filter(|d| needle.is_empty() || d.matches(&needle, now)).collect()
    }
}

impl Sort {
    /// The order of two rows: ties go by SN.
    fn compare(self, a: &Device, b: &Device) -> Ordering {
        match self {
            Sort::LastSeen => b.last_seen.cmp(&a.last_seen).then_with(|| a.sn.cmp(&b.sn)),
            Sort::Sn => a.sn.cmp(&b.sn),
            Sort::Type => a.device_type.cmp(&b.device_type).then_with(|| a.sn.cmp(&b.sn)),
            Sort::Battery => a.battery_level.total_cmp(&b.battery_level).then_with(|| a.sn.cmp(&b.sn)),
        }
    }
}

/// What one frame of the table shows, copied out of the [`Fleet`] while its lock is held, so that
/// drawing (slow on a slow terminal) holds no lock a push waits for.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub devices: usize,
    /// Devices whose latest readings hold an alarm.
    pub alarms: usize,
    pub silent: usize,
    /// Pushes per second over the last few seconds.
    pub rate: f64,
    /// Devices that left the table to make room ([`FLEET_LIMIT`]).
    pub evicted: u64,
    /// Devices the filter matches (all of them without one).
    pub matching: usize,
    /// The place of the first row shown among those that match.
    pub first: usize,
    /// The rows shown, in the sort order.
    pub rows: Vec<Device>,
}

impl Fleet {
    /// Up to `len` rows from the `first` on among those that match `filter`, in `sort` order, with
    /// the counts; `first` is clamped so that the last page is full.
    pub fn page(&self, sort: Sort, filter: &str, now: Instant, first: usize, len: usize) -> Page {
        let mut rows = self.matching(filter, now);
        let matching = rows.len();
        let first = first.min(matching.saturating_sub(len));
        // Only the page is put in order (the lock is held meanwhile): the rows before it need only
        // come before it, and those after it after.
        let compare = |a: &&Device, b: &&Device| sort.compare(a, b);
        if first > 0 {
            rows.select_nth_unstable_by(first, compare);
        }
        let rest = &mut rows[first..];
        if rest.len() > len {
            rest.select_nth_unstable_by(len, compare);
        }
        let shown = len.min(rest.len());
        let shown = &mut rest[..shown];
        shown.sort_by(compare);
        Page {
            devices: self.len(),
            alarms: self.alarms(),
            silent: self.silent(now),
            rate: self.rate(),
            evicted: self.evicted,
            matching,
            first,
            rows: shown.iter().map(|device| (*device).clone()).collect(),
        }
    }
}

/// An age as a row shows it, ticking: `7s`, `4m 05s`, `3h 07m`, `2d 5h`.
pub fn age(duration: Duration) -> String {
    let s = duration.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86400 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86400, s % 86400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn push(sn: &str, device_type: &str, data: &str) -> Push {
        Push::parse(format!(r#"{{"sn":"{sn}","deviceType":"{device_type}","data":{data}}}"#).as_bytes()).unwrap()
    }

    #[test]
    fn keeps_the_latest_push_per_device_and_counts() {
        let start = Instant::now();
        let mut fleet = Fleet::default();
        fleet.record(&push("A1", "leak", r#"{"leak":true,"battery":80,"interval":60}"#), start);
        fleet.record(&push("B2", "temp_humi", r#"{"temperature":21.5,"humidity":40}"#), start);
        fleet.record(
            &push("A1", "leak", r#"{"leak":false,"battery":79,"interval":60}"#),
            start + Duration::from_secs(3),
        );
        assert_eq!((fleet.len(), fleet.pushes()), (2, 3));
        let rows = fleet.rows(Sort::Sn, "", start);
        assert_eq!(rows[0].pushes, 2);
        assert_eq!(rows[0].readings(), [Reading { text: "leak=false".into(), alarm: false }]);
        assert_eq!(
            rows[1].readings().iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
            ["temperature=21.5°C", "humidity=40%"]
        );
        assert_eq!(fleet.alarms(), 0, "the leak is over");
    }

    #[test]
    fn cells_hold_no_character_a_terminal_acts_on() {
        use crate::visible::acts_on_terminal;
        let evil = serde_json::to_string("\x1b]0;x\x07\r\u{9b}\u{202e}").unwrap();
        let payload = format!(r#"{{"sn":{evil},"deviceType":{evil},"data":{{{evil}:{evil}}}}}"#);
        let mut fleet = Fleet::default();
        fleet.record(&Push::parse(payload.as_bytes()).unwrap(), Instant::now());
        let rows = fleet.rows(Sort::Sn, "", Instant::now());
        let texts = [rows[0].sn.clone(), rows[0].device_type.clone(), rows[0].readings()[0].text.clone()];
        for text in texts {
            assert!(!text.chars().any(acts_on_terminal), "{text:?}");
            assert!(text.contains("\\e]0;x\\x07\\r"), "{text:?}");
        }
    }

    #[test]
    fn alarms_come_from_the_shared_list() {
        let now = Instant::now();
        let mut fleet = Fleet::default();
        fleet.record(&push("A", "leak", r#"{"leak":true,"battery":90}"#), now);
        fleet.record(&push("B", "smoke", r#"{"smoke":1}"#), now);
        fleet.record(&push("C", "light", r#"{"light":3.5,"battery":12}"#), now);
        fleet.record(&push("D", "smoke", r#"{"smoke":0,"battery":20}"#), now);
        assert_eq!(fleet.alarms(), 3);
        let rows = fleet.rows(Sort::Sn, "", now);
        assert_eq!(rows[0].alarms().iter().map(|a| a.rule.as_str()).collect::<Vec<_>>(), ["leak"]);
        assert!(rows[0].readings()[0].alarm);
        assert_eq!(rows[2].alarms().iter().map(|a| a.rule.as_str()).collect::<Vec<_>>(), ["battery<20"]);
        assert!(rows[3].alarms().is_empty());
    }

    #[test]
    fn the_user_s_rules_decide_the_alarms() {
        let now = Instant::now();
        let mut fleet = Fleet::new(Rules::parse(&["-leak", "humidity>=70"]).unwrap());
        fleet.record(&push("A", "leak", r#"{"leak":true}"#), now);
        fleet.record(&push("B", "temp_humi", r#"{"temperature":21,"humidity":71}"#), now);
        assert_eq!(fleet.alarms(), 1);
        let rows = fleet.rows(Sort::Sn, "", now);
        assert!(!rows[0].readings()[0].alarm, "-leak dropped the default");
        assert_eq!(rows[1].readings()[1], Reading { text: "humidity=71%".into(), alarm: true });
        assert_eq!(fleet.rows(Sort::Sn, "alarm", now).len(), 1);
    }

    #[test]
    fn silent_after_twice_its_own_interval() {
        let start = Instant::now();
        let mut fleet = Fleet::default();
        fleet.record(&push("A", "leak", r#"{"leak":false,"interval":10}"#), start);
        fleet.record(&push("B", "leak", r#"{"leak":false}"#), start);
        let device = &fleet.rows(Sort::Sn, "", start)[0];
        assert!(!device.is_silent(start + Duration::from_secs(20)));
        assert!(device.is_silent(start + Duration::from_millis(20_001)));
        assert_eq!(fleet.silent(start + Duration::from_secs(3600)), 1, "no interval, never silent");
    }

    #[test]
    fn sorts_and_filters() {
        let start = Instant::now();
        let mut fleet = Fleet::default();
        fleet.record(&push("C3", "smoke", r#"{"smoke":0,"battery":50}"#), start);
        fleet.record(&push("A1", "temp_humi", r#"{"temperature":20,"battery":90,"interval":1}"#), start);
        fleet.record(&push("B2", "leak", r#"{"leak":true}"#), start + Duration::from_secs(1));
        let order = |sort, filter: &str| -> Vec<String> {
            fleet.rows(sort, filter, start + Duration::from_secs(10)).iter().map(|d| d.sn.clone()).collect()
        };
        assert_eq!(order(Sort::LastSeen, ""), ["B2", "A1", "C3"]);
        assert_eq!(order(Sort::Sn, ""), ["A1", "B2", "C3"]);
        assert_eq!(order(Sort::Type, ""), ["B2", "C3", "A1"]);
        assert_eq!(order(Sort::Battery, ""), ["C3", "A1", "B2"]);
        assert_eq!(order(Sort::Sn, "SMO"), ["C3"]);
        assert_eq!(order(Sort::Sn, "temperature"), ["A1"]);
        assert_eq!(order(Sort::Sn, "alarm"), ["B2"]);
        assert_eq!(order(Sort::Sn, "silent"), ["A1"]);
        assert_eq!(order(Sort::Sn, "b2"), ["B2"]);
        assert!(order(Sort::Sn, "nothing like it").is_empty());
        assert_eq!(Sort::LastSeen.next().next().next().next(), Sort::LastSeen);
    }

    #[test]
    fn the_rate_counts_pushes_over_the_last_seconds() {
        let start = Instant::now();
        let mut fleet = Fleet::default();
        fleet.sample(start);
        assert_eq!(fleet.rate(), 0.0);
        for n in 0..10 {
            fleet.record(&push("A", "light", "{}"), start);
            fleet.sample(start + Duration::from_millis(500 * (n + 1)));
        }
        assert!((fleet.rate() - 2.0).abs() < 1e-9, "{}", fleet.rate());
        fleet.sample(start + Duration::from_secs(20));
        assert_eq!(fleet.rate(), 0.0, "nothing in the last seconds");
    }

    #[test]
    fn at_the_limit_a_new_device_evicts_the_one_heard_from_longest_ago() {
        let start = Instant::now();
        let at = |s| start + Duration::from_secs(s);
        let mut fleet = Fleet::with_limit(3);
        fleet.record(&push("A", "leak", "{}"), at(0));
        fleet.record(&push("B", "leak", "{}"), at(1));
        fleet.record(&push("C", "leak", "{}"), at(2));
        fleet.record(&push("A", "leak", "{}"), at(3));
        assert_eq!((fleet.len(), fleet.evicted()), (3, 0), "a known device never evicts");
        fleet.record(&push("D", "leak", "{}"), at(4));
        let sns =
            |fleet: &Fleet| -> Vec<String> { fleet.rows(Sort::Sn, "", at(9)).iter().map(|d| d.sn.clone()).collect() };
        assert_eq!(sns(&fleet), ["A", "C", "D"], "B was heard from longest ago");
        assert_eq!(fleet.evicted(), 1);
        fleet.record(&push("E", "leak", "{}"), at(5));
        assert_eq!(sns(&fleet), ["A", "D", "E"]);
        fleet.record(&push("B", "leak", "{}"), at(6));
        assert_eq!(sns(&fleet), ["B", "D", "E"], "a device that comes back is new again");
        assert_eq!((fleet.evicted(), fleet.pushes()), (3, 7));
        assert_eq!(fleet.rows(Sort::Sn, "", at(9))[0].pushes, 1);
    }

    #[test]
    fn the_default_fleet_holds_the_documented_limit() {
        assert_eq!(FLEET_LIMIT, 100_000);
        let now = Instant::now();
        let mut fleet = Fleet::default();
        for n in 0..=FLEET_LIMIT {
            fleet.record(&push(&format!("{n:016X}"), "light", "{}"), now);
        }
        assert_eq!((fleet.len(), fleet.evicted()), (FLEET_LIMIT, 1));
        assert!(!fleet.rows(Sort::Sn, "0000000000000000", now).iter().any(|d| d.sn == "0000000000000000"));
        assert_eq!(fleet.by_age.len(), FLEET_LIMIT, "the age index holds the same devices");
    }

    #[test]
    fn a_page_holds_the_rows_a_full_sort_puts_there_and_the_counts() {
        let start = Instant::now();
        let mut fleet = Fleet::with_limit(40);
        for n in 0..60u64 {
            let data = format!(r#"{{"battery":{},"leak":{}}}"#, (n * 37) % 23, n % 5 == 0);
            let kind = ["leak", "smoke", "light"][(n % 3) as usize];
            fleet.record(&push(&format!("{:02}", (n * 7) % 50), kind, &data), start + Duration::from_secs(n % 9));
        }
        let now = start + Duration::from_secs(60);
        let alarming = fleet.devices.values().filter(|d| !d.alarms().is_empty()).count();
        assert_eq!(fleet.alarms(), alarming, "the count kept as pushes came, evictions included");
        for sort in [Sort::LastSeen, Sort::Sn, Sort::Type, Sort::Battery] {
            for filter in ["", "smoke", "alarm"] {
                let all: Vec<String> = fleet.rows(sort, filter, now).iter().map(|d| d.sn.clone()).collect();
                for first in [0, 1, 5, 17, 38, 39, 40, 1000] {
                    let page = fleet.page(sort, filter, now, first, 6);
                    let from = first.min(all.len().saturating_sub(6));
                    let expected: Vec<String> = all.iter().skip(from).take(6).cloned().collect();
                    let shown: Vec<String> = page.rows.iter().map(|d| d.sn.clone()).collect();
                    assert_eq!(shown, expected, "{sort:?} {filter:?} from {first}");
                    assert_eq!((page.first, page.matching, page.devices), (from, all.len(), fleet.len()));
                    assert_eq!((page.alarms, page.evicted), (alarming, fleet.evicted()));
                }
            }
        }
    }

    #[test]
    fn ages_are_short() {
        assert_eq!(age(Duration::from_millis(7900)), "7s");
        assert_eq!(age(Duration::from_secs(245)), "4m 05s");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 7 * 60)), "3h 07m");
        assert_eq!(age(Duration::from_secs(2 * 86400 + 5 * 3600)), "2d 5h");
    }
}
