//! The engine: decode, filter, format and write one delivered push. Independent of MQTT, so the same
//! pipeline can serve any source of pushes.
//!
//! A push's line is written and flushed before `handle` returns, unless the caller says it may wait
//! for the next push's ([`Release`]). The MQTT session acknowledges a push only after `handle`
//! returns, so a line that must not be lost has left the process by then (docs/service.md, "Acknowledgement").

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::alarm::{AlarmConfig, Raised};
use super::dedupe::RecentIds;
use super::delivery::Delivery;
use super::output::{Output, Reads, Sink, is_one_line, write_raw, write_verbatim_line};
use super::push::{Created, Filter, Outline, Push};
use super::safe_mode::{Opened, SafeMode};
use super::topic::{BadTopic, Subscription};
use crate::status::{Status, Verbosity};
use crate::visible::visible_bytes;

/// Payload bytes shown in an undecodable-push report without `-v`.
const REPORT_PAYLOAD_LIMIT: usize = 1024;
/// The output buffer is reused between pushes; after a huge push it is shrunk back to this.
const BUFFER_KEEP: usize = 64 * 1024;

/// What became of the pushes so far, one count per fate. `Stats` (of `u64`) is a snapshot;
/// [`Progress`] keeps one of atomic counters, so each count is named here only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats<N = u64> {
    pub received: N,
    pub printed: N,
    pub filtered: N,
    pub undecodable: N,
    /// Safe-mode pushes that could not be decrypted (printed as received).
    pub undecryptable: N,
    /// Redeliveries of a push already printed (same msgId), dropped.
    pub duplicates: N,
}

impl<N> Stats<N> {
    /// The same counts, each through `f`: how [`Progress`] reads its counters into a snapshot.
    fn map<M>(&self, f: impl Fn(&N) -> M) -> Stats<M> {
        Stats {
            received: f(&self.received),
            printed: f(&self.printed),
            filtered: f(&self.filtered),
            undecodable: f(&self.undecodable),
            undecryptable: f(&self.undecryptable),
            duplicates: f(&self.duplicates),
        }
    }
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "received {}, printed {}, filtered {}, undecodable {}, undecryptable {}, duplicates {}",
            self.received, self.printed, self.filtered, self.undecodable, self.undecryptable, self.duplicates
        )
    }
}

/// When a push's line must leave the process. The caller decides: it knows whether the push will be
/// acknowledged when `handle` returns, and whether another push is already on its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Written through before `handle` returns, with any line held back before it.
    Now,
    /// May be held back to leave with the next push's line: one `write` per burst. Only for a push
    /// whose acknowledgement does not wait for its line, when the next one has already arrived.
    WithNext,
}

/// What became of one delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    Printed,
    Filtered,
    /// A push with the msgId of one printed recently: a QoS 1 redelivery, dropped.
    Duplicate,
    /// Reported on stderr and counted (in `raw`, also printed).
    Undecodable,
    /// The engine is closed (count reached or stopping); nothing was written.
    Refused,
}

/// What the engine has done so far, readable from another thread without waiting for the engine,
/// which may be blocked writing to a stalled stdout.
#[derive(Debug)]
pub struct Progress {
    counts: Stats<AtomicU64>,
    /// Pushes whose handling panicked (a bug), printed as received instead.
    contained_panics: AtomicU64,
    /// Milliseconds from `started` to the last printed push.
    last_printed_ms: AtomicU64,
    closed: AtomicBool,
    /// A delivery is being held unacknowledged because the engine was closed.
    held: AtomicBool,
    /// The engine closed after printing a push with an alarm (`--exit-on-alarm`).
    stopped_on_alarm: AtomicBool,
    started: Instant,
}

impl Progress {
    fn new() -> Self {
        Self {
            counts: Stats::default(),
            contained_panics: AtomicU64::new(0),
            last_printed_ms: AtomicU64::new(0),
            closed: AtomicBool::new(false),
            held: AtomicBool::new(false),
            stopped_on_alarm: AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    /// Bugs caught while handling a push; tests and fuzzing require none.
    pub fn contained_panics(&self) -> u64 {
        self.contained_panics.load(Ordering::Relaxed)
    }

    pub fn stats(&self) -> Stats {
        self.counts.map(|count| count.load(Ordering::Relaxed))
    }

    /// When the last push was printed (or the engine was made): the clock of `--timeout`.
    pub fn last_printed(&self) -> Instant {
        self.started + Duration::from_millis(self.last_printed_ms.load(Ordering::Relaxed))
    }

    /// After this nothing more is printed; the caller must not acknowledge later pushes.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Marks that a delivery arrived after closing and is being held back from acknowledgement.
    pub fn hold(&self) {
        self.held.store(true, Ordering::SeqCst);
    }

    pub fn is_holding(&self) -> bool {
        self.held.load(Ordering::SeqCst)
    }

    /// True once the engine closed because a push with an alarm was printed (`--exit-on-alarm`).
    pub fn stopped_on_alarm(&self) -> bool {
        self.stopped_on_alarm.load(Ordering::SeqCst)
    }

    fn count(counter: &AtomicU64) -> u64 {
        counter.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// How the engine treats pushes, whatever it hands them to: built from the flags and the profile by
/// the command that runs the engine.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// `--sn`, `--device-type`.
    pub filter: Filter,
    pub safe_mode: SafeMode,
    /// `--count`: the engine closes after this many printed pushes.
    pub count_limit: Option<u64>,
    /// Drops pushes whose msgId is among the last this many printed (QoS 1 redeliveries); 0: off.
    pub dedupe_window: usize,
    /// Only pushes on topics that match this subscription's filter are ours; the rest (and any
    /// topic that is not UTF-8 or holds a NUL) are reported as undecodable. Default: any topic.
    pub subscription: Subscription,
    /// The alarm rules, and whether alarms select pushes (`--alarms-only`) or end the run
    /// (`--exit-on-alarm`).
    pub alarms: AlarmConfig,
}

pub struct Engine {
    /// Takes each push the engine decided to show: a printer, or `watch`'s fleet.
    output: Box<dyn Output>,
    /// What `output` reads of a push, asked once: the branches of [`Engine::decide`] read these.
    reads: Reads,
    filter: Filter,
    safe_mode: SafeMode,
    /// The "set the AppKey" hint is given once per run, not per push.
    key_hint_given: bool,
    /// The kinds of decryption failure already warned about: each is warned once per run.
    decrypt_failures_told: Vec<std::mem::Discriminant<super::safe_mode::DecryptError>>,
    sink: Arc<Sink>,
    buffer: Vec<u8>,
    status: Status,
    count_limit: Option<u64>,
    progress: Arc<Progress>,
    recent: RecentIds,
    /// The topics a push may come on; others are reported, never printed as ours.
    subscription: Subscription,
    /// The alarm rules, and whether alarms select pushes or end the run.
    alarms: AlarmConfig,
    /// The push being handled raised an alarm and the run ends once it is written.
    stop_after_write: bool,
    dropped: DroppedByFilters,
}

/// While the filters have dropped every push so far: when the first was dropped, and the
/// deviceTypes seen, so that one status line can say what did arrive (a filter with a typo, or an
/// AND of `--sn` and `--device-type` that matches nothing, would otherwise print nothing, silently).
#[derive(Default)]
struct DroppedByFilters {
    since: Option<Instant>,
    count: u64,
    device_types: std::collections::BTreeSet<String>,
    told: bool,
}

/// "For a while": this long, or this many pushes, all dropped by the filters.
const DROPPED_NOTICE_AFTER: Duration = Duration::from_secs(10);
const DROPPED_NOTICE_PUSHES: u64 = 50;
/// At most this many deviceTypes are named (the broker's data: bounded, and shown escaped).
const DROPPED_TYPES_SHOWN: usize = 12;

impl Engine {
    /// An engine that hands each push it decides to show to `output`, and writes the lines that
    /// `output` makes to `lines` (an output that keeps pushes, as `watch`'s does, makes none).
    pub fn new(options: EngineOptions, output: Box<dyn Output>, lines: Box<dyn Write + Send>, status: Status) -> Self {
        let EngineOptions { filter, safe_mode, count_limit, dedupe_window, subscription, alarms } = options;
        Self {
            reads: output.reads(),
            output,
            filter,
            safe_mode,
            key_hint_given: false,
            decrypt_failures_told: Vec::new(),
            sink: Arc::new(Sink::new(lines)),
            buffer: Vec::with_capacity(4096),
            status,
            count_limit,
            progress: Arc::new(Progress::new()),
            recent: RecentIds::new(dedupe_window),
            subscription,
            alarms,
            stop_after_write: false,
            dropped: DroppedByFilters::default(),
        }
    }

    /// True when a push's alarms decide whether (or how long) it is printed, so no push may take
    /// the path that does not read it.
    fn alarms_select(&self) -> bool {
        self.alarms.only || self.alarms.exit_on_first
    }

    /// Where the lines go: for flushing held-back lines when the run ends or the connection drops.
    pub fn sink(&self) -> Arc<Sink> {
        Arc::clone(&self.sink)
    }

    /// A handle on the engine's counters and state for other threads.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    /// Decodes, filters, formats, writes and flushes one push. An `Err` is a failed write to stdout:
    /// the push was not (fully) written and must not be acknowledged.
    pub fn handle(&mut self, delivery: &Delivery, release: Release) -> io::Result<Handled> {
        if self.progress.is_closed() {
            return Ok(Handled::Refused);
        }
        let number = Progress::count(&self.progress.counts.received);
        self.buffer.clear();
        let handled = match self.subscription.check(delivery.topic) {
            // Topics are bytes until checked: one that is not ours is never printed as ours.
            Err(bad) => {
                self.report_bad_topic(number, delivery, &bad);
                Handled::Undecodable
            }
            Ok(topic) => self.decide_contained(number, delivery, topic),
        };
        match handled {
            Handled::Filtered => _ = Progress::count(&self.progress.counts.filtered),
            Handled::Duplicate => _ = Progress::count(&self.progress.counts.duplicates),
            Handled::Undecodable => _ = Progress::count(&self.progress.counts.undecodable),
            _ => {}
        }
        let may_wait = release == Release::WithNext;
        if !self.buffer.is_empty() {
            self.sink.write(&self.buffer, may_wait)?;
            self.count_printed()?;
        } else if handled == Handled::Printed {
            // Kept by an output that writes nothing (`watch`): it counts like a printed line.
            self.count_printed()?;
        } else if !may_wait {
            self.sink.flush()?;
        }
        if self.buffer.capacity() > BUFFER_KEEP {
            self.buffer = Vec::with_capacity(4096);
        }
        Ok(handled)
    }

    /// Counts a printed push: the clock of `--timeout`, and the end of the run at `--count` or,
    /// with `--exit-on-alarm`, after the first push with an alarm.
    fn count_printed(&mut self) -> io::Result<()> {
        let printed = Progress::count(&self.progress.counts.printed);
        let since_start = u64::try_from(self.progress.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.progress.last_printed_ms.store(since_start, Ordering::Relaxed);
        let alarm = std::mem::take(&mut self.stop_after_write);
        if alarm {
            self.progress.stopped_on_alarm.store(true, Ordering::SeqCst);
        }
        if alarm || self.count_limit.is_some_and(|limit| printed >= limit) {
            self.progress.close();
            self.sink.flush()?;
        }
        Ok(())
    }

    /// [`Engine::decide`], with a panic (a bug) contained.
    fn decide_contained(&mut self, number: u64, delivery: &Delivery, topic: &str) -> Handled {
        match panic::catch_unwind(AssertUnwindSafe(|| self.decide(number, delivery, topic))) {
            Ok(handled) => handled,
            Err(_) => {
                // A bug in decoding or formatting must not end the stream, nor (inside the MQTT library's C
                // callback) abort the process and then crash again on the redelivery. Print what came; report it.
                self.buffer.clear();
                write_raw(&mut self.buffer, delivery);
                Progress::count(&self.progress.contained_panics);
                self.status.error(format_args!(
                    "internal error while handling push #{number} from {topic} (a bug: please report it with \
                     this push); printed as received"
                ));
                Handled::Undecodable
            }
        }
    }

    /// Decodes, decrypts, filters and formats one push into the buffer; writes nothing yet.
    fn decide(&mut self, number: u64, delivery: &Delivery, topic: &str) -> Handled {
        let raw = self.reads.payload_only;
        let outline = (self.reads.verbatim && !self.alarms_select() && is_one_line(delivery.payload))
            .then(|| Outline::read(delivery.payload))
            .flatten();
        if raw && self.filter.is_empty() && !self.alarms_select() {
            write_raw(&mut self.buffer, delivery);
            Handled::Printed
        } else if let Some(outline) = outline {
            // Fast path: a plain push printed as it came needs no `Value`.
            if !self.filter.matches_fields(outline.sn.as_deref(), outline.device_type.as_deref()) {
                self.dropped_by_filters(outline.device_type.as_deref())
            } else if outline.msg_id.as_deref().is_some_and(|id| !self.recent.insert(id)) {
                Handled::Duplicate
            } else {
                write_verbatim_line(&mut self.buffer, delivery.payload);
                Handled::Printed
            }
        } else {
            match Push::parse(delivery.payload) {
                Ok(mut push) => {
                    if !raw {
                        self.open_safe_mode(number, topic, &mut push);
                    }
                    if !self.filter.matches(&push) {
                        self.dropped_by_filters(push.device_type())
                    } else if push.msg_id().is_some_and(|id| !self.recent.insert(id)) {
                        Handled::Duplicate
                    } else {
                        self.show(number, delivery, topic, &push)
                    }
                }
                Err(undecodable) => {
                    self.report_undecodable(number, topic, delivery.payload, &undecodable.reason);
                    if raw {
                        // raw passes everything through; a payload that cannot be filtered is not dropped.
                        write_raw(&mut self.buffer, delivery);
                    }
                    Handled::Undecodable
                }
            }
        }
    }

    /// Finds the push's alarms (when something needs them), selects by them and hands the push to
    /// the output.
    fn show(&mut self, number: u64, delivery: &Delivery, topic: &str, push: &Push) -> Handled {
        let alarms: Vec<Raised> = match push.data() {
            Some(data) if self.alarms_select() || self.reads.alarms => self.alarms.rules.check(data),
            _ => Vec::new(),
        };
        if self.alarms.only && alarms.is_empty() {
            return Handled::Filtered;
        }
        if self.reads.created_time {
            self.explain_time(number, topic, push);
        }
        self.output.take(&mut self.buffer, delivery, topic, push, &alarms);
        if self.alarms.exit_on_first && !alarms.is_empty() {
            self.stop_after_write = true;
        }
        Handled::Printed
    }

    /// `-v`: why `pretty` shows a push's arrival time (marked `~`) instead of its `createdTime`.
    fn explain_time(&self, number: u64, topic: &str, push: &Push) {
        if self.status.verbosity() < Verbosity::Verbose {
            return;
        }
        match push.created() {
            Created::At(_) => {}
            Created::Missing => self.status.detail(format_args!(
                "push #{number} from {topic} has no createdTime: its line shows the arrival time, marked ~"
            )),
            Created::Unreadable(why) => self.status.detail(format_args!(
                "push #{number} from {topic}: createdTime not read ({why}); its line shows the arrival time, marked ~"
            )),
        }
    }

    /// Counts a push the filters dropped; once they have dropped every push for a while, says so
    /// with the deviceTypes that did arrive.
    fn dropped_by_filters(&mut self, device_type: Option<&str>) -> Handled {
        let dropped = &mut self.dropped;
        if dropped.told || self.progress.counts.printed.load(Ordering::Relaxed) > 0 {
            return Handled::Filtered;
        }
        let since = *dropped.since.get_or_insert_with(Instant::now);
        dropped.count += 1;
        if let Some(name) = device_type
            && dropped.device_types.len() < DROPPED_TYPES_SHOWN
        {
            let name: String = name.chars().take(40).collect();
            dropped.device_types.insert(format!("{name:?}"));
        }
        if dropped.count >= DROPPED_NOTICE_PUSHES || since.elapsed() >= DROPPED_NOTICE_AFTER {
            dropped.told = true;
            let seen = if dropped.device_types.is_empty() {
                "none named".to_owned()
            } else {
                dropped.device_types.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            };
            self.status.info(format_args!(
                "the filters (--sn/--device-type) dropped all {} pushes received so far; deviceTypes seen: {seen}",
                dropped.count
            ));
        }
        Handled::Filtered
    }

    /// Decrypts a safe-mode push in place; one that cannot be decrypted is reported and printed as received.
    fn open_safe_mode(&mut self, number: u64, topic: &str, push: &mut Push) {
        match self.safe_mode.open(push) {
            Opened::Plain | Opened::Decrypted => {}
            Opened::NoKey => {
                if !self.key_hint_given {
                    self.key_hint_given = true;
                    self.status.warn(
                        "pushes are encrypted (safe mode): set SENSORO_APP_KEY or pass --app-key to decrypt them; \
                         printing them as received",
                    );
                }
            }
            Opened::Failed(reason) => {
                Progress::count(&self.progress.counts.undecryptable);
                let line = format_args!("cannot decrypt push #{number} from {topic}: {reason}; printed as received");
                // A wrong AppKey fails every push the same way: warned once, then counted (-v shows each).
                let kind = std::mem::discriminant(&reason);
                if self.decrypt_failures_told.contains(&kind) {
                    self.status.detail(line);
                } else {
                    self.decrypt_failures_told.push(kind);
                    self.status.warn(line);
                }
            }
        }
    }

    /// A push its source could not take whole (a `decode` line over its length limit): reported and
    /// counted as undecodable, never printed, not even by `raw` (it was not kept). `delivery`'s
    /// payload is the start of it, of which the report shows the first KiB.
    pub fn reject(&mut self, delivery: &Delivery, reason: &str) -> Handled {
        if self.progress.is_closed() {
            return Handled::Refused;
        }
        let number = Progress::count(&self.progress.counts.received);
        Progress::count(&self.progress.counts.undecodable);
        let start = &delivery.payload[..delivery.payload.len().min(REPORT_PAYLOAD_LIMIT)];
        self.status.warn(format_args!(
            "undecodable push #{number} from {} ({reason}); it starts: \"{}\" …",
            visible_bytes(delivery.topic),
            start.escape_ascii(),
        ));
        Handled::Undecodable
    }

    /// A push on a topic that is not ours: reported like an undecodable one, the topic escaped.
    fn report_bad_topic(&self, number: u64, delivery: &Delivery, bad: &BadTopic) {
        let topic = visible_bytes(delivery.topic);
        self.report_undecodable(number, &topic, delivery.payload, &bad.to_string());
    }

    /// Status lines are made visible as a whole (`status`); the payload is shown ASCII-escaped.
    fn report_undecodable(&self, number: u64, topic: &str, payload: &[u8], reason: &str) {
        let shown = if self.status.verbosity() >= Verbosity::Verbose {
            payload.len()
        } else {
            payload.len().min(REPORT_PAYLOAD_LIMIT)
        };
        let more = match payload.len() - shown {
            0 => String::new(),
            cut => format!(" … ({cut} more bytes; -v shows all)"),
        };
        self.status.warn(format_args!(
            "undecodable push #{number} from {topic} ({reason}), {} bytes: \"{}\"{more}",
            payload.len(),
            payload[..shown].escape_ascii(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::pipeline::hostile;
    use crate::pipeline::hostile::Shared;
    use crate::pipeline::output::test_support::{SAMPLE, delivery};
    use crate::pipeline::output::{Format, OutputConfig, Printer};
    use crate::status::StatusConfig;

    fn quiet() -> Status {
        Status::new(StatusConfig { verbosity: Verbosity::Quiet, color: false })
    }

    fn printer(format: Format) -> Box<Printer> {
        Box::new(Printer::new(OutputConfig { format, envelope: false, color: false }))
    }

    fn engine(format: Format, filter: Filter, count: Option<u64>) -> (Engine, Shared) {
        engine_with(format, EngineOptions { filter, count_limit: count, ..EngineOptions::default() })
    }

    fn engine_with(format: Format, options: EngineOptions) -> (Engine, Shared) {
        let out = Shared::default();
        (Engine::new(options, printer(format), Box::new(out.clone()), quiet()), out)
    }

    fn text(out: &Shared) -> String {
        String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn counts_every_kind_of_delivery_and_keeps_going() {
        let (mut engine, out) = engine(Format::Ndjson, Filter::new(vec!["0117C9A1B2C3D4E5".into()], vec![]), None);
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert_eq!(engine.handle(&delivery(b"not json"), Release::Now).unwrap(), Handled::Undecodable);
        assert_eq!(engine.handle(&delivery(br#"{"sn":"other"}"#), Release::Now).unwrap(), Handled::Filtered);
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert_eq!(
            engine.progress().stats(),
            Stats { received: 4, printed: 2, filtered: 1, undecodable: 1, undecryptable: 0, duplicates: 0 }
        );
        assert_eq!(text(&out), format!("{SAMPLE}\n{SAMPLE}\n"));
    }

    #[test]
    fn redeliveries_are_dropped_within_the_window_in_both_paths() {
        for format in [Format::Ndjson, Format::Json] {
            let (mut engine, out) = engine_with(format, EngineOptions { dedupe_window: 2, ..EngineOptions::default() });
            let push = |id: &str| format!(r#"{{"sn":"A","msgId":"{id}"}}"#);
            let handled: Vec<Handled> = ["a", "a", "b", "c", "a", "c"]
                .iter()
                .map(|id| engine.handle(&delivery(push(id).as_bytes()), Release::Now).unwrap())
                .collect();
            use Handled::*;
            // "a" left the 2-entry window when "c" came, so its third copy prints again.
            assert_eq!(handled, [Printed, Duplicate, Printed, Printed, Printed, Duplicate], "{format:?}");
            assert_eq!(engine.progress().stats().duplicates, 2);
            assert_eq!(text(&out).matches("\"msgId\"").count(), 4, "{format:?}");
            let no_id = br#"{"sn":"A"}"#;
            assert_eq!(engine.handle(&delivery(no_id), Release::Now).unwrap(), Printed);
            assert_eq!(engine.handle(&delivery(no_id), Release::Now).unwrap(), Printed, "pushes without msgId pass");
        }
    }

    #[test]
    fn pushes_on_topics_that_are_not_ours_are_reported_never_printed() {
        for topic in [
            &b"users/\xff/devices"[..],
            b"users/foobar/devices\0",
            b"users/other/devices",
            b"users/foobar/devices/x",
            b"users/foobar/devices",
        ] {
            for format in hostile::FORMATS {
                hostile::topic_survives(format, topic, SAMPLE.as_bytes());
            }
        }
    }

    #[test]
    fn control_characters_in_every_field_are_shown_safely() {
        let evil = "\x1b]0;pwned\x07\x1b[2J\r\x08\u{9b}31m\u{202e}\t\n\x7f";
        let quoted = serde_json::to_string(evil).unwrap();
        let push = format!(
            r#"{{"sn":{quoted},"deviceType":{quoted},"type":{quoted},"data":{{{quoted}:{quoted},"n":{{{quoted}:[{quoted}]}}}}}}"#
        );
        hostile::shows_safely(push.as_bytes());
        let line = crate::pipeline::output::test_support::render(Format::Pretty, false, false, &push);
        assert!(line.contains("\\e]0;pwned\\x07\\e[2J\\r\\x08\\u{9b}31m\\u{202e}\\t\\n\\x7f"), "{line}");
        let json = crate::pipeline::output::test_support::render(Format::Json, false, false, &push);
        assert!(json.contains(r"\u009b") && json.contains(r"\u202e") && !json.contains('\u{9b}'), "{json}");
    }

    #[test]
    fn extreme_payloads_are_reported_not_fatal() {
        let deep_array = "[".repeat(10_000);
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
        let huge_number = format!(r#"{{"sn":"a","data":{{"n":1{}}}}}"#, "0".repeat(100_000));
        let mut big = String::from(r#"{"sn":"a","data":{"blob":""#);
        big.push_str(&"x".repeat(50 * 1024 * 1024));
        big.push_str(r#""}}"#);
        let cases: Vec<Vec<u8>> = vec![
            deep_array.into_bytes(),
            deep_object.into_bytes(),
            huge_number.into_bytes(),
            br#"{"sn":"a","data":{"n":1e999999}}"#.to_vec(),
            // Found by cargo-fuzz: a createdTime beyond the calendar panicked the pretty printer.
            br#"{"sn":"a","createdTime":9223372036854775807,"data":{}}"#.to_vec(),
            br#"{"sn":"a","createdTime":"-9223372036854775808","data":{}}"#.to_vec(),
            br#"{"sn":"a","createdTime":1e300,"data":{}}"#.to_vec(),
            br#"{"sn":"a","encryptData":"!!!"}"#.to_vec(),
            br#"{"sn":"a","encryptData":"AAAAAAAAAAAAAAAAAAAAAA=="}"#.to_vec(),
            br#"{"sn":"a","encryptData":{"x":1}}"#.to_vec(),
            b"\xff\xfe\x00".to_vec(),
            big.into_bytes(),
        ];
        for format in [Format::Ndjson, Format::Json, Format::Pretty, Format::Raw] {
            let mut engine = hostile::engine(format);
            for payload in &cases {
                hostile::survives(&mut engine, payload);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(payload in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            for format in [Format::Ndjson, Format::Pretty] {
                hostile::survives(&mut hostile::engine(format), &payload);
            }
        }

        #[test]
        fn any_topic_has_one_fate_and_only_ours_prints(
            topic in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            mutate in proptest::prelude::any::<bool>(),
        ) {
            // Half the cases are near misses of the subscribed topic.
            let topic = if mutate { [b"users/foobar/devices".as_slice(), &topic].concat() } else { topic };
            for format in hostile::FORMATS {
                hostile::topic_survives(format, &topic, SAMPLE.as_bytes());
            }
        }

        #[test]
        fn hostile_text_is_shown_safely(text in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}]){0,30}") {
            hostile::shows_safely(text.as_bytes());
            let quoted = serde_json::to_string(&text).unwrap();
            let push = format!(r#"{{"sn":{quoted},"deviceType":{quoted},"type":{quoted},"data":{{{quoted}:{quoted},"n":{{{quoted}:1}}}}}}"#);
            hostile::shows_safely(push.as_bytes());
        }

        #[test]
        fn random_json_ish_text_never_panics(text in r#"[{}\[\]":,a-z0-9.eE+\- \\]{0,200}"#) {
            let wrapped = format!(r#"{{"sn":"a","msgId":"m","data":{text}}}"#);
            for format in [Format::Ndjson, Format::Json, Format::Pretty] {
                hostile::survives(&mut hostile::engine(format), text.as_bytes());
                hostile::survives(&mut hostile::engine(format), wrapped.as_bytes());
            }
        }
    }

    /// A printer with a bug: it panics on a push from [`PANIC_TOPIC`], its line half made.
    struct PanicsOnTopic(Printer);

    const PANIC_TOPIC: &str = "test/panic";

    impl Output for PanicsOnTopic {
        fn reads(&self) -> Reads {
            self.0.reads()
        }
        fn take(&mut self, line: &mut Vec<u8>, delivery: &Delivery, topic: &str, push: &Push, alarms: &[Raised]) {
            self.0.take(line, delivery, topic, push, alarms);
            if topic == PANIC_TOPIC {
                panic!("injected by a test");
            }
        }
    }

    #[test]
    fn a_panic_while_handling_a_push_is_contained_and_the_push_printed_as_received() {
        let out = Shared::default();
        let buggy = PanicsOnTopic(*printer(Format::Pretty));
        let mut engine = Engine::new(EngineOptions::default(), Box::new(buggy), Box::new(out.clone()), quiet());
        let broken = Delivery { topic: PANIC_TOPIC.as_bytes(), ..delivery(SAMPLE.as_bytes()) };
        assert_eq!(engine.handle(&broken, Release::Now).unwrap(), Handled::Undecodable);
        assert_eq!(
            engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(),
            Handled::Printed,
            "the stream goes on"
        );
        let printed = text(&out);
        assert!(printed.starts_with(&format!("{SAMPLE}\n")), "{printed}");
        assert_eq!(printed.lines().count(), 2);
        let progress = engine.progress();
        assert_eq!((progress.contained_panics(), progress.stats().undecodable), (1, 1));
    }

    #[test]
    fn a_line_waits_only_when_released_with_the_next_and_leaves_with_it() {
        let (mut engine, out) = engine(Format::Ndjson, Filter::default(), None);
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::WithNext).unwrap(), Handled::Printed);
        assert_eq!(text(&out), "", "held for the next push");
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert_eq!(text(&out), format!("{SAMPLE}\n{SAMPLE}\n"), "both leave, in order");
        assert_eq!(engine.sink().writes(), 1);
    }

    #[test]
    fn alarms_only_and_exit_on_alarm_read_every_push_in_every_format() {
        use crate::pipeline::alarm::{AlarmConfig, Rules};
        let calm = br#"{"sn":"A","msgId":"1","data":{"temperature":21}}"#;
        let hot = br#"{"sn":"B","msgId":"2","data":{"temperature":51}}"#;
        for format in [Format::Ndjson, Format::Raw, Format::Pretty, Format::Json] {
            let only = AlarmConfig { rules: Rules::defaults(), only: true, exit_on_first: false };
            let (mut selecting, out) = engine_with(format, EngineOptions { alarms: only, ..EngineOptions::default() });
            assert_eq!(selecting.handle(&delivery(calm), Release::Now).unwrap(), Handled::Filtered, "{format:?}");
            assert_eq!(selecting.handle(&delivery(hot), Release::Now).unwrap(), Handled::Printed, "{format:?}");
            assert!(text(&out).contains("\"B\"") || text(&out).contains(" B "), "{format:?}: {}", text(&out));
            assert!(!text(&out).contains("\"A\"") && !text(&out).contains(" A "), "{format:?}: {}", text(&out));
            assert!(!selecting.progress().is_closed(), "{format:?}");

            let exit = AlarmConfig { rules: Rules::defaults(), only: false, exit_on_first: true };
            let (mut stopping, out) = engine_with(format, EngineOptions { alarms: exit, ..EngineOptions::default() });
            assert_eq!(stopping.handle(&delivery(calm), Release::WithNext).unwrap(), Handled::Printed);
            assert!(!stopping.progress().is_closed());
            assert_eq!(stopping.handle(&delivery(hot), Release::WithNext).unwrap(), Handled::Printed);
            assert!(stopping.progress().is_closed() && stopping.progress().stopped_on_alarm(), "{format:?}");
            assert!(text(&out).contains("51"), "the alarm's push is written through: {format:?}");
            assert_eq!(text(&out).matches("temperature").count(), 2, "{format:?}");
            assert_eq!(stopping.handle(&delivery(hot), Release::Now).unwrap(), Handled::Refused);
        }
        // With neither, the count ends a run as before and says nothing of alarms.
        let (mut counting, _) = engine(Format::Ndjson, Filter::default(), Some(1));
        counting.handle(&delivery(hot), Release::Now).unwrap();
        assert!(counting.progress().is_closed() && !counting.progress().stopped_on_alarm());
    }

    #[test]
    fn raw_passes_undecodable_payloads_through() {
        let (mut engine, out) = engine(Format::Raw, Filter::new(vec![], vec!["temp_humi".into()]), None);
        assert_eq!(engine.handle(&delivery(b"\xff\xfe"), Release::Now).unwrap(), Handled::Undecodable);
        assert_eq!(engine.handle(&delivery(br#"{"deviceType":"smoke"}"#), Release::Now).unwrap(), Handled::Filtered);
        assert_eq!(out.0.lock().unwrap().as_slice(), b"\xff\xfe\n");
        assert_eq!(engine.progress().stats().printed, 1);
    }

    #[test]
    fn closes_after_the_count_and_refuses_more() {
        let (mut engine, out) = engine(Format::Ndjson, Filter::default(), Some(1));
        assert_eq!(engine.handle(&delivery(b"oops"), Release::Now).unwrap(), Handled::Undecodable);
        assert!(!engine.progress().is_closed());
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert!(engine.progress().is_closed());
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Refused);
        assert_eq!(text(&out).lines().count(), 1);
        assert_eq!(engine.progress().stats().received, 2);
    }

    #[test]
    fn an_observer_sees_decoded_pushes_that_pass_and_they_count_as_printed() {
        /// An output that keeps each push's SN and writes nothing, as `watch`'s fleet does.
        #[derive(Clone, Default)]
        struct Seen(Arc<Mutex<Vec<String>>>);
        impl Output for Seen {
            fn reads(&self) -> Reads {
                Reads::default()
            }
            fn take(&mut self, _: &mut Vec<u8>, _: &Delivery, _: &str, push: &Push, _: &[Raised]) {
                self.0.lock().unwrap().push(push.sn().unwrap_or("-").to_owned());
            }
        }
        let seen = Seen::default();
        let filter = Filter::new(vec![], vec!["temp_humi".into()]);
        let options = EngineOptions { filter, count_limit: Some(2), dedupe_window: 10, ..EngineOptions::default() };
        let mut engine = Engine::new(options, Box::new(seen.clone()), Box::new(io::sink()), quiet());
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert_eq!(engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap(), Handled::Duplicate);
        assert_eq!(engine.handle(&delivery(br#"{"deviceType":"smoke"}"#), Release::Now).unwrap(), Handled::Filtered);
        assert_eq!(engine.handle(&delivery(b"nope"), Release::Now).unwrap(), Handled::Undecodable);
        let other = SAMPLE.replace("m-1", "m-2");
        assert_eq!(engine.handle(&delivery(other.as_bytes()), Release::Now).unwrap(), Handled::Printed);
        assert_eq!(*seen.0.lock().unwrap(), ["0117C9A1B2C3D4E5", "0117C9A1B2C3D4E5"]);
        let stats = engine.progress().stats();
        assert_eq!((stats.printed, stats.duplicates, stats.filtered, stats.undecodable), (2, 1, 1, 1));
        assert!(engine.progress().is_closed(), "the count holds for an observer too");
        assert_eq!(engine.sink().writes(), 0, "nothing written");
    }

    #[test]
    fn a_failed_write_is_an_error_and_not_counted_as_printed() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut engine = Engine::new(EngineOptions::default(), printer(Format::Ndjson), Box::new(Closed), quiet());
        let err = engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(engine.progress().stats().printed, 0);
    }

    #[test]
    fn a_rejected_push_is_counted_as_undecodable_and_never_printed() {
        for format in [Format::Raw, Format::Ndjson] {
            let (mut engine, out) = engine(format, Filter::default(), Some(1));
            assert_eq!(engine.reject(&delivery(SAMPLE.as_bytes()), "too long"), Handled::Undecodable);
            let stats = engine.progress().stats();
            assert_eq!((stats.received, stats.undecodable, stats.printed), (1, 1, 0), "{format:?}");
            assert_eq!(text(&out), "", "{format:?}");
            engine.handle(&delivery(SAMPLE.as_bytes()), Release::Now).unwrap();
            assert_eq!(engine.reject(&delivery(b"{}"), "too long"), Handled::Refused, "closed at --count");
            assert_eq!(engine.progress().stats().received, 2);
        }
    }
}
