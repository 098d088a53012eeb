//! SENSORO's vocabulary: the readings we know by name, with the unit each is shown in and whether a
//! set value (true, or a number other than 0) means trouble by default. One table, read by `reading`
//! (units), `alarm` (the default rules) and docs/output.md (which lists it; a test checks they agree).
//!
//! Where each entry comes from, in the comment beside it:
//! - *SPEC*: the vendor's MQTT and webhook pages and its Node.js demo (docs/service.md, "Push format").
//! - *platform*: SENSORO's own platform code, its City app's public sensor models and open-API
//!   docs, as summarised in issue #24 (sensor type names; units where the issue gives them).
//! - *guess*: a unit the sources do not state; docs/output.md marks these as guesses.
//!
//! Keys that are not here are shown bare and raise no alarm by default; they pass through untouched.

/// How a value and its unit are written side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    /// No unit: the value alone (`smoke=0`, `leak=true`).
    Bare,
    /// A symbol right after the number: `23.5°C`, `87%`, `300s`, `12°`.
    Glued,
    /// A unit after a space: `758.0 lux`, `220.1 V`, `612 ppm`.
    Spaced,
}

/// One known reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known {
    /// The key as it appears in `data`.
    pub key: &'static str,
    /// The unit ("" for none).
    pub unit: &'static str,
    pub display: Display,
    /// True when `true` or a number other than 0 is an alarm under the default rules.
    pub alarm_when_set: bool,
    /// What it measures, for docs/output.md.
    pub what: &'static str,
}

impl Known {
    /// The text written after the value: `°C`, ` lux`, or nothing.
    pub fn suffix(&self) -> &'static str {
        match self.display {
            Display::Bare => "",
            Display::Glued => self.unit,
            Display::Spaced => self.spaced_unit(),
        }
    }

    fn spaced_unit(&self) -> &'static str {
        // The table's spaced units, with the space: `suffix` returns `'static` text without allocating.
        SPACED.iter().find(|(unit, _)| *unit == self.unit).map_or("", |(_, shown)| *shown)
    }
}

/// Every spaced unit of the table, as shown.
const SPACED: &[(&str, &str)] = &[
    ("lux", " lux"),
    ("ppm", " ppm"),
    ("µg/m³", " µg/m³"),
    ("m", " m"),
    ("MPa", " MPa"),
    ("V", " V"),
    ("A", " A"),
    ("mA", " mA"),
    ("kWh", " kWh"),
    ("kW", " kW"),
    ("kVA", " kVA"),
    ("kvar", " kvar"),
];

const fn unit(key: &'static str, unit: &'static str, display: Display, what: &'static str) -> Known {
    Known { key, unit, display, alarm_when_set: false, what }
}

const fn bare(key: &'static str, what: &'static str) -> Known {
    Known { key, unit: "", display: Display::Bare, alarm_when_set: false, what }
}

/// A detector: `true` or a number other than 0 is an alarm by default.
const fn detector(key: &'static str, what: &'static str) -> Known {
    Known { key, unit: "", display: Display::Bare, alarm_when_set: true, what }
}

use Display::{Glued, Spaced};

/// The table. Order is the order of docs/output.md's list.
pub const KNOWN: &[Known] = &[
    // SPEC: the readings the vendor's pages and demo name.
    unit("temperature", "°C", Glued, "temperature"),
    unit("humidity", "%", Glued, "relative humidity"),
    unit("battery", "%", Glued, "battery level"),
    unit("interval", "s", Glued, "reporting interval"),
    unit("light", "lux", Spaced, "illuminance"),
    // SPEC names ch4, co, co2, no2, so2 (no unit); platform: gases in ppm.
    unit("ch4", "ppm", Spaced, "methane"),
    unit("co", "ppm", Spaced, "carbon monoxide"),
    unit("co2", "ppm", Spaced, "carbon dioxide"),
    unit("no2", "ppm", Spaced, "nitrogen dioxide"),
    unit("so2", "ppm", Spaced, "sulphur dioxide"),
    // platform: combustible gases, in ppm as the other gases.
    unit("lpg", "ppm", Spaced, "liquefied petroleum gas"),
    unit("artificialGas", "ppm", Spaced, "town gas (人工煤气)"),
    // SPEC names pm2_5 and pm10 (no unit); guess: µg/m³, the unit particulate matter is given in.
    unit("pm2_5", "µg/m³", Spaced, "particulate matter ≤ 2.5 µm"),
    unit("pm10", "µg/m³", Spaced, "particulate matter ≤ 10 µm"),
    // SPEC: booleans and counters that mean trouble.
    detector("leak", "leak (跑冒滴漏)"),
    detector("smoke", "smoke"),
    // platform: detectors of the City app's sensor types.
    detector("flame", "flame"),
    detector("water", "water immersion"),
    detector("collision", "collision"),
    detector("drop", "drip (滴漏)"),
    detector("cover", "manhole cover open"),
    detector("jinggai", "manhole cover (井盖)"),
    detector("alarm", "emergency button (紧急报警器)"),
    // platform: angles in degrees, distances in metres.
    unit("angle", "°", Glued, "tilt angle"),
    unit("pitch", "°", Glued, "pitch"),
    unit("roll", "°", Glued, "roll"),
    unit("distance", "m", Spaced, "distance"),
    // guess: a water level in metres, as the platform's other distances.
    unit("level", "m", Spaced, "water level"),
    // guess: MPa, the unit of Chinese fire-hydrant pressure gauges (消防液压).
    unit("waterPressure", "MPa", Spaced, "water pressure"),
    // platform: a tracker's position.
    unit("altitude", "m", Spaced, "altitude"),
    unit("latitude", "°", Glued, "latitude"),
    unit("longitude", "°", Glued, "longitude"),
    // platform: a second temperature probe.
    unit("temp1", "°C", Glued, "second temperature probe"),
    // platform: the electrical-fire monitor (电气火灾监控).
    unit("leakage_val", "mA", Spaced, "residual current"),
    unit("a_val", "V", Spaced, "phase A voltage"),
    unit("b_val", "V", Spaced, "phase B voltage"),
    unit("c_val", "V", Spaced, "phase C voltage"),
    unit("a_curr", "A", Spaced, "phase A current"),
    unit("b_curr", "A", Spaced, "phase B current"),
    unit("c_curr", "A", Spaced, "phase C current"),
    unit("t1_val", "°C", Glued, "cable temperature 1"),
    unit("t2_val", "°C", Glued, "cable temperature 2"),
    unit("t3_val", "°C", Glued, "cable temperature 3"),
    unit("t4_val", "°C", Glued, "cable temperature 4"),
    unit("elec_energy_val", "kWh", Spaced, "energy"),
    bare("total_factor", "power factor"),
    // guess: the units of 视在 (apparent), 有功 (active) and 无功 (reactive) total power.
    unit("total_sz", "kVA", Spaced, "total apparent power"),
    unit("total_yg", "kW", Spaced, "total active power"),
    unit("total_wg", "kvar", Spaced, "total reactive power"),
    // SPEC: structured readings, shown as they are.
    bare("magnetic", "geomagnetic field {x, y, z}"),
    bare("lonlat", "position [longitude, latitude]"),
    bare("customer", "custom data (hex)"),
];

/// Keys whose unit is a guess (docs/output.md says so).
pub const GUESSED: &[&str] =
    &["pm2_5", "pm10", "level", "waterPressure", "total_sz", "total_yg", "total_wg", "lpg", "artificialGas"];

/// The entry for `key`, if we know it.
pub fn known(key: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_once_and_every_spaced_unit_has_its_text() {
        let mut keys: Vec<&str> = KNOWN.iter().map(|k| k.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is listed twice");
        for entry in KNOWN {
            match entry.display {
                Display::Bare => assert!(entry.unit.is_empty(), "{}", entry.key),
                Display::Glued => assert!(!entry.unit.is_empty(), "{}", entry.key),
                Display::Spaced => assert_eq!(entry.suffix(), format!(" {}", entry.unit), "{}", entry.key),
            }
        }
        for guess in GUESSED {
            assert!(known(guess).is_some(), "{guess}");
        }
    }

    #[test]
    fn the_issue_s_keys_are_known() {
        for key in [
            "flame",
            "water",
            "smoke",
            "leak",
            "collision",
            "drop",
            "cover",
            "jinggai",
            "alarm",
            "angle",
            "pitch",
            "roll",
            "distance",
            "level",
            "lpg",
            "artificialGas",
            "waterPressure",
            "co",
            "co2",
            "no2",
            "pm10",
            "altitude",
            "latitude",
            "longitude",
            "temp1",
            "leakage_val",
            "a_val",
            "b_val",
            "c_val",
            "a_curr",
            "b_curr",
            "c_curr",
            "t1_val",
            "t2_val",
            "t3_val",
            "t4_val",
            "total_sz",
            "total_yg",
            "total_wg",
            "total_factor",
            "elec_energy_val",
        ] {
            assert!(known(key).is_some(), "{key}");
        }
        assert_eq!(known("a_val").unwrap().suffix(), " V");
        assert_eq!(known("leakage_val").unwrap().suffix(), " mA");
        assert_eq!(known("t3_val").unwrap().suffix(), "°C");
        assert_eq!(known("total_factor").unwrap().suffix(), "");
        assert!(known("flame").unwrap().alarm_when_set && !known("temperature").unwrap().alarm_when_set);
        assert!(known("door").is_none());
    }
}
