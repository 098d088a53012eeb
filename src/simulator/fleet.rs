//! A believable fleet of SENSORO devices: each has a serial number, a device type and its own
//! sensors, whose values drift over time, with a battery that slowly drains, now and then an alarm
//! that lasts a few pushes, one battery already low, and (in fleets of 5 or more) a device or two
//! that goes silent for a while and comes back. Trackers move around Beijing. Seeded, so a run can
//! be repeated exactly (all but `createdTime`).

use serde_json::{Map, Value, json};

use crate::pipeline::safe_mode::{AppKey, encrypt};

/// The device types the fleet cycles through, each with the readings docs/service.md ("Push format") lists for it.
pub const DEVICE_TYPES: [&str; 10] =
    ["temp_humi", "light", "smoke", "leak", "ch4", "pm", "gas", "no2_so2", "magnetic", "tracker"];

/// A quiet device's silences repeat every this many rounds (one round: a push per device).
const QUIET_PERIOD: u64 = 40;
/// An alarm starts on one push in this many.
const ALARM_ODDS: u8 = 25;

/// One device and the state its readings drift from.
#[derive(Debug, Clone)]
struct SimulatedDevice {
    sn: String,
    device_type: &'static str,
    battery: f64,
    /// Current values of the drifting quantities (meaning depends on the type).
    levels: [f64; 3],
    /// Pushes left in the current alarm (a leak does not stop at once).
    alarm_left: u8,
    /// Rounds (within [`QUIET_PERIOD`]) during which the device says nothing.
    quiet: Option<std::ops::Range<u64>>,
    /// Silenced on purpose (`simulate silence`): says nothing until then (`None`: for good).
    silenced: Option<Option<std::time::Instant>>,
}

#[derive(Debug)]
pub struct SimulatedFleet {
    app_id: String,
    devices: Vec<SimulatedDevice>,
    /// The `interval` every device reports: twice the time a round takes at the fleet's rate, so
    /// that `watch` flags a device as silent only when it really stopped.
    interval: u64,
    rng: fastrand::Rng,
    sent: u64,
    next_device: usize,
}

impl SimulatedFleet {
    /// `rate`: pushes per second the fleet as a whole sends.
    pub fn new(app_id: &str, size: usize, rate: f64, seed: u64) -> SimulatedFleet {
        let mut rng = fastrand::Rng::with_seed(seed);
        let size = size.max(1);
        let mut devices: Vec<SimulatedDevice> = (0..size)
            .map(|i| SimulatedDevice {
                sn: format!("{:016X}", rng.u64(..)),
                device_type: DEVICE_TYPES[i % DEVICE_TYPES.len()],
                battery: rng.f64() * 40.0 + 60.0,
                levels: [rng.f64(), rng.f64(), rng.f64()],
                alarm_left: 0,
                quiet: None,
                silenced: None,
            })
            .collect();
        if size >= 5 {
            // Early enough that a demo shows them within a minute.
            let silences = if size >= 10 { [Some(3..18), Some(8..30)] } else { [Some(3..18), None] };
            let mut chosen = Vec::new();
            for silence in silences.into_iter().flatten() {
                let index = loop {
                    let i = rng.usize(..size);
                    if !chosen.contains(&i) {
                        break i;
                    }
                };
                chosen.push(index);
                devices[index].quiet = Some(silence);
            }
            let low = rng.usize(..size);
            devices[low].battery = 12.0 + rng.f64() * 6.0;
        }
        let interval = ((2.0 * size as f64 / rate).ceil() as u64).max(1);
        SimulatedFleet { app_id: app_id.to_owned(), devices, interval, rng, sent: 0, next_device: 0 }
    }

    /// The next push as the service sends it: `data` in plain mode, `encryptData` with a key.
    pub fn next_payload(&mut self, created_ms: u64, key: Option<&AppKey>) -> String {
        let index = self.pick_device();
        self.payload_of(index, created_ms, key)
    }

    /// The index of the device with serial number `sn` (any case).
    pub fn find(&self, sn: &str) -> Option<usize> {
        self.devices.iter().position(|device| device.sn.eq_ignore_ascii_case(sn.trim()))
    }

    /// `simulate alarm`: the device's next pushes are an alarm (a leak, smoke, a gas level...);
    /// returns its first push, to publish now. A silenced device speaks again.
    pub fn raise_alarm(&mut self, index: usize, created_ms: u64, key: Option<&AppKey>) -> String {
        let device = &mut self.devices[index];
        device.alarm_left = 5;
        device.silenced = None;
        self.payload_of(index, created_ms, key)
    }

    /// `simulate silence`: the device says nothing until `until` (`None`: until the stand-in stops).
    pub fn silence(&mut self, index: usize, until: Option<std::time::Instant>) {
        self.devices[index].silenced = Some(until);
    }

    /// Every device silenced on purpose (and not yet due to speak): nothing to publish.
    pub fn all_silenced(&self) -> bool {
        let now = std::time::Instant::now();
        self.devices.iter().all(|device| device.silenced.is_some_and(|until| until.is_none_or(|until| now < until)))
    }

    /// The device's serial number and type, for replies.
    pub fn describe(&self, index: usize) -> String {
        format!("{} ({})", self.devices[index].sn, self.devices[index].device_type)
    }

    /// A push from device `index`.
    fn payload_of(&mut self, index: usize, created_ms: u64, key: Option<&AppKey>) -> String {
        let data = self.readings(index);
        self.sent += 1;
        let device = &self.devices[index];
        let mut push = Map::new();
        push.insert("appId".into(), json!(self.app_id));
        push.insert("sn".into(), json!(device.sn));
        push.insert("type".into(), json!("text"));
        push.insert("deviceType".into(), json!(device.device_type));
        push.insert("createdTime".into(), json!(created_ms));
        push.insert("msgId".into(), json!(format!("{:016x}{:08x}", self.rng.u64(..), self.sent)));
        match key {
            None => {
                push.insert("data".into(), Value::Object(data));
            }
            Some(key) => {
                let mut random = [0u8; 16];
                random.iter_mut().for_each(|b| *b = self.rng.u8(..));
                let text = serde_json::to_string(&data).expect("readings serialise");
                push.insert("encryptData".into(), json!(encrypt(key, &self.app_id, &text, random)));
            }
        }
        serde_json::to_string(&push).expect("a push serialises")
    }

    /// Mostly round-robin, sometimes a device reports out of turn, as real fleets do; a device in
    /// one of its silences is passed over.
    fn pick_device(&mut self) -> usize {
        let size = self.devices.len();
        let round = self.sent / size as u64 % QUIET_PERIOD;
        let start = if self.rng.u8(..10) == 0 { self.rng.usize(..size) } else { self.next_device };
        let now = std::time::Instant::now();
        for device in &mut self.devices {
            if device.silenced.is_some_and(|until| until.is_some_and(|until| now >= until)) {
                device.silenced = None;
            }
        }
        let speaks = |device: &SimulatedDevice| {
            device.silenced.is_none() && !device.quiet.as_ref().is_some_and(|quiet| quiet.contains(&round))
        };
        let index = (0..size)
            .map(|step| (start + step) % size)
            .find(|&i| speaks(&self.devices[i]))
            .or_else(|| (0..size).map(|step| (start + step) % size).find(|&i| self.devices[i].silenced.is_none()))
            .unwrap_or(start);
        self.next_device = (index + 1) % size;
        index
    }

    fn readings(&mut self, index: usize) -> Map<String, Value> {
        let rng = &mut self.rng;
        let device = &mut self.devices[index];
        for level in &mut device.levels {
            *level = (*level + (rng.f64() - 0.5) * 0.08).clamp(0.0, 1.0);
        }
        device.battery = (device.battery - rng.f64() * 0.05).max(0.0);
        if device.alarm_left == 0 && rng.u8(..ALARM_ODDS) == 0 {
            device.alarm_left = rng.u8(2..7);
        }
        let alarm = device.alarm_left > 0;
        device.alarm_left = device.alarm_left.saturating_sub(1);
        let [a, b, c] = device.levels;
        let round1 = |v: f64| (v * 10.0).round() / 10.0;
        let mut data = match device.device_type {
            "temp_humi" => json!({
                "temperature": round1(if alarm { 58.0 + a * 10.0 } else { 16.0 + a * 14.0 }),
                "humidity": (30.0 + b * 50.0).round() as i64,
            }),
            "light" => json!({ "light": round1(a * 1200.0) }),
            "smoke" => json!({ "smoke": if alarm { 1 } else { 0 } }),
            "leak" => json!({ "leak": alarm }),
            "ch4" => json!({ "ch4": if alarm { 5000 + (a * 5000.0) as i64 } else { (a * 40.0) as i64 } }),
            "pm" => json!({ "pm2_5": (5.0 + a * 70.0) as i64, "pm10": (10.0 + b * 110.0) as i64 }),
            "gas" => json!({ "co": (a * 10.0) as i64, "co2": (400.0 + b * 1200.0) as i64 }),
            "no2_so2" => json!({ "no2": (a * 60.0) as i64, "so2": (b * 20.0) as i64 }),
            "magnetic" => json!({ "magnetic": {
                "x": ((a - 0.5) * 400.0) as i64,
                "y": ((b - 0.5) * 400.0) as i64,
                "z": ((c - 0.5) * 400.0) as i64,
            } }),
            _ => json!({
                // Around Beijing (Tiananmen is at 116.397, 39.909), to five decimals (about a metre).
                "lonlat": [
                    ((116.3 + a * 0.2) * 1e5).round() / 1e5,
                    ((39.8 + b * 0.2) * 1e5).round() / 1e5,
                ],
                "customer": format!("{:06x}", rng.u32(..0x100_0000)),
            }),
        };
        let fields = data.as_object_mut().expect("readings are an object");
        fields.insert("battery".into(), json!(device.battery.round() as i64));
        fields.insert("interval".into(), json!(self.interval));
        std::mem::take(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::push::Push;
    use crate::pipeline::safe_mode::decrypt;

    fn without_time(payload: &str) -> Value {
        let mut value: Value = serde_json::from_str(payload).unwrap();
        value.as_object_mut().unwrap().remove("createdTime");
        value
    }

    #[test]
    fn pushes_have_the_service_shape() {
        let mut fleet = SimulatedFleet::new("foobar", 20, 5.0, 1);
        let mut msg_ids = std::collections::HashSet::new();
        let mut types = std::collections::HashSet::new();
        for n in 0..500 {
            let payload = fleet.next_payload(1_764_094_329_000 + n, None);
            let push = Push::parse(payload.as_bytes()).unwrap();
            let keys: Vec<&str> = push.fields.keys().map(String::as_str).collect();
            assert_eq!(keys, ["appId", "sn", "type", "deviceType", "createdTime", "msgId", "data"]);
            let sn = push.sn().unwrap();
            assert!(sn.len() == 16 && sn.chars().all(|c| c.is_ascii_hexdigit()), "{sn}");
            assert_eq!(push.created_ms(), Some(1_764_094_329_000 + n as i64));
            assert!(msg_ids.insert(push.fields["msgId"].as_str().unwrap().to_owned()), "unique msgId");
            types.insert(push.device_type().unwrap().to_owned());
            let data = push.data().unwrap();
            let battery = data["battery"].as_i64().unwrap();
            assert!((0..=100).contains(&battery));
        }
        assert_eq!(types.len(), DEVICE_TYPES.len());
    }

    #[test]
    fn a_seed_repeats_the_run_and_another_seed_does_not() {
        let run = |seed| {
            let mut fleet = SimulatedFleet::new("foobar", 5, 5.0, seed);
            (0..50).map(|n| without_time(&fleet.next_payload(n, None))).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn readings_drift_and_batteries_drain() {
        let mut fleet = SimulatedFleet::new("foobar", 1, 5.0, 3);
        let values: Vec<f64> = (0..200)
            .map(|n| {
                let push = Push::parse(fleet.next_payload(n, None).as_bytes()).unwrap();
                push.data().unwrap()["temperature"].as_f64().unwrap()
            })
            .collect();
        let distinct: std::collections::HashSet<u64> = values.iter().map(|v| v.to_bits()).collect();
        assert!(distinct.len() > 20, "temperatures drift");
        let first = fleet.devices[0].battery;
        for n in 0..2000 {
            fleet.next_payload(n, None);
        }
        assert!(fleet.devices[0].battery < first, "the battery drains");
    }

    #[test]
    fn trackers_are_in_beijing() {
        let mut fleet = SimulatedFleet::new("foobar", 30, 5.0, 4);
        let mut seen = 0;
        for n in 0..300 {
            let push = Push::parse(fleet.next_payload(n, None).as_bytes()).unwrap();
            if let Some(lonlat) = push.data().unwrap().get("lonlat") {
                let (lon, lat) = (lonlat[0].as_f64().unwrap(), lonlat[1].as_f64().unwrap());
                assert!((116.3..=116.5).contains(&lon) && (39.8..=40.0).contains(&lat), "{lonlat}");
                seen += 1;
            }
        }
        assert!(seen > 10, "{seen}");
    }

    /// What `watch` needs to show within a minute of `demo` (20 devices at 5/s: 300 pushes): alarms
    /// from the shared list, and devices silent for more than twice their interval.
    #[test]
    fn a_demo_minute_has_alarms_and_silent_devices() {
        let rules = crate::pipeline::alarm::Rules::defaults();
        for seed in 0..20 {
            let mut fleet = SimulatedFleet::new("demo", 20, 5.0, seed);
            let mut last_seen = std::collections::HashMap::new();
            let mut alarms = 0;
            for n in 0..300u64 {
                let now_ms = n * 200;
                let push = Push::parse(fleet.next_payload(now_ms, None).as_bytes()).unwrap();
                let data = push.data().unwrap();
                let interval_ms = data["interval"].as_u64().unwrap() * 1000;
                assert_eq!(interval_ms, 8000, "twice a round of 20 devices at 5/s");
                alarms += rules.check(data).len();
                last_seen.insert(push.sn().unwrap().to_owned(), now_ms);
            }
            let silent = last_seen.values().filter(|&&seen| 299 * 200 - seen > 16_000).count();
            assert!(alarms > 0, "seed {seed}: no alarm");
            assert!((1..=2).contains(&silent), "seed {seed}: {silent} silent at the end of the minute");
        }
    }

    /// The demo's alarm states (a leak, smoke, 58–68 °C, 5000+ ppm of methane) are alarms under the
    /// default rules, and the same devices' calm readings are not.
    #[test]
    fn every_alarm_state_is_an_alarm_under_the_default_rules() {
        let rules = crate::pipeline::alarm::Rules::defaults();
        let mut fleet = SimulatedFleet::new("demo", DEVICE_TYPES.len(), 5.0, 11);
        let mut alarmed = std::collections::HashSet::new();
        for round in 0..400 {
            let in_alarm = round % 2 == 0;
            for device in &mut fleet.devices {
                device.battery = 90.0;
                // Set before the push: the push is sent in this state (and the rng may not start one).
                device.alarm_left = if in_alarm { 3 } else { 0 };
            }
            for index in 0..fleet.devices.len() {
                let device_type = fleet.devices[index].device_type;
                let was_calm = fleet.devices[index].alarm_left == 0;
                let data = fleet.readings(index);
                if was_calm && fleet.devices[index].alarm_left > 0 {
                    continue; // an alarm the rng started on this very push
                }
                let raised: Vec<String> = rules.check(&data).into_iter().map(|a| a.rule).collect();
                match (in_alarm, device_type) {
                    (true, "temp_humi" | "smoke" | "leak" | "ch4") => {
                        assert!(!raised.is_empty(), "{device_type} in alarm: {data:?}");
                        alarmed.insert(device_type);
                    }
                    _ => assert!(raised.is_empty(), "{device_type} (alarm state {in_alarm}): {raised:?} {data:?}"),
                }
            }
        }
        assert_eq!(alarmed.len(), 4);
    }

    #[test]
    fn no_device_goes_silent_in_a_small_fleet() {
        let mut fleet = SimulatedFleet::new("foobar", 4, 40.0, 42);
        let sns: std::collections::HashSet<String> = (0..400)
            .map(|n| Push::parse(fleet.next_payload(n, None).as_bytes()).unwrap().sn().unwrap().to_owned())
            .collect();
        assert_eq!(sns.len(), 4);
    }

    #[test]
    fn safe_mode_pushes_decrypt_with_the_key() {
        let key = AppKey::parse(&"B".repeat(43)).unwrap();
        let mut fleet = SimulatedFleet::new("foobar", 3, 5.0, 9);
        let payload = fleet.next_payload(1, Some(&key));
        let push = Push::parse(payload.as_bytes()).unwrap();
        let encrypted = push.fields["encryptData"].as_str().unwrap();
        let data = decrypt(&key, "foobar", encrypted).unwrap();
        assert!(data.contains_key("battery"));
        assert!(push.data().is_none());
    }
}
