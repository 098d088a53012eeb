//! A believable fleet of SENSORO devices: each has a serial number, a device type and its own
//! sensors, whose values drift over time, with a battery that slowly drains and now and then an
//! alarm-like reading. Seeded, so a run can be repeated exactly (all but `createdTime`).

use serde_json::{Map, Value, json};

use crate::pipeline::safe_mode::{AppKey, encrypt};

/// The device types the fleet cycles through, each with the readings SPEC.md lists for it.
pub const DEVICE_TYPES: [&str; 10] =
    ["temp_humi", "light", "smoke", "leak", "ch4", "pm", "gas", "no2_so2", "magnetic", "tracker"];

/// One device and the state its readings drift from.
#[derive(Debug, Clone)]
struct Device {
    sn: String,
    device_type: &'static str,
    battery: f64,
    /// Current values of the drifting quantities (meaning depends on the type).
    levels: [f64; 3],
    interval: u32,
}

#[derive(Debug)]
pub struct Fleet {
    app_id: String,
    devices: Vec<Device>,
    rng: fastrand::Rng,
    sent: u64,
    next_device: usize,
}

impl Fleet {
    pub fn new(app_id: &str, size: usize, seed: u64) -> Fleet {
        let mut rng = fastrand::Rng::with_seed(seed);
        let devices = (0..size.max(1))
            .map(|i| {
                let device_type = DEVICE_TYPES[i % DEVICE_TYPES.len()];
                Device {
                    sn: format!("{:016X}", rng.u64(..)),
                    device_type,
                    battery: rng.f64() * 40.0 + 60.0,
                    levels: [rng.f64(), rng.f64(), rng.f64()],
                    interval: [60, 300, 600][rng.usize(..3)],
                }
            })
            .collect();
        Fleet { app_id: app_id.to_owned(), devices, rng, sent: 0, next_device: 0 }
    }

    pub fn len(&self) -> usize {
        self.devices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// The next push as the service sends it: `data` in plain mode, `encryptData` with a key.
    pub fn next_payload(&mut self, created_ms: u64, key: Option<&AppKey>) -> String {
        let index = self.pick_device();
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

    /// Mostly round-robin, sometimes a device reports out of turn, as real fleets do.
    fn pick_device(&mut self) -> usize {
        let index = if self.rng.u8(..10) == 0 { self.rng.usize(..self.devices.len()) } else { self.next_device };
        self.next_device = (index + 1) % self.devices.len();
        index
    }

    fn readings(&mut self, index: usize) -> Map<String, Value> {
        let rng = &mut self.rng;
        let device = &mut self.devices[index];
        for level in &mut device.levels {
            *level = (*level + (rng.f64() - 0.5) * 0.08).clamp(0.0, 1.0);
        }
        device.battery = (device.battery - rng.f64() * 0.05).max(0.0);
        let alarm = rng.u8(..50) == 0;
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
                "lonlat": [
                    (116.3 + a * 0.2 * 1e5).round() / 1e5,
                    (39.8 + b * 0.2 * 1e5).round() / 1e5,
                ],
                "customer": format!("{:06x}", rng.u32(..0x100_0000)),
            }),
        };
        let fields = data.as_object_mut().expect("readings are an object");
        fields.insert("battery".into(), json!(device.battery.round() as i64));
        fields.insert("interval".into(), json!(device.interval));
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
        let mut fleet = Fleet::new("foobar", 20, 1);
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
            let mut fleet = Fleet::new("foobar", 5, seed);
            (0..50).map(|n| without_time(&fleet.next_payload(n, None))).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn readings_drift_and_batteries_drain() {
        let mut fleet = Fleet::new("foobar", 1, 3);
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
    fn safe_mode_pushes_decrypt_with_the_key() {
        let key = AppKey::parse(&"B".repeat(43)).unwrap();
        let mut fleet = Fleet::new("foobar", 3, 9);
        let payload = fleet.next_payload(1, Some(&key));
        let push = Push::parse(payload.as_bytes()).unwrap();
        let encrypted = push.fields["encryptData"].as_str().unwrap();
        let data = decrypt(&key, "foobar", encrypted).unwrap();
        assert!(data.contains_key("battery"));
        assert!(push.data().is_none());
    }
}
