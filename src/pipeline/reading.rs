//! What a push's readings mean to a person: units, and which readings are trouble. One list, shared
//! by every view (the `pretty` printer and `watch`), so a reading is red in both or in neither.

use serde_json::{Map, Value};

/// A reading that means trouble (SPEC.md: our convention, not the vendor's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alarm {
    /// `leak` is true.
    Leak,
    /// `smoke` is not 0.
    Smoke,
    /// `battery` is below [`LOW_BATTERY`] %.
    LowBattery,
}

/// A battery below this percentage is an alarm.
pub const LOW_BATTERY: f64 = 20.0;

/// The alarm a reading raises, if any. `path` is the reading's name within `data` (`magnetic.x` for
/// nested ones); only the top-level fields SPEC.md names can raise one.
pub fn alarm(path: &str, value: &Value) -> Option<Alarm> {
    match path {
        "leak" if value.as_bool() == Some(true) => Some(Alarm::Leak),
        "smoke" if value.as_f64().is_some_and(|n| n != 0.0) => Some(Alarm::Smoke),
        "battery" if value.as_f64().is_some_and(|n| n < LOW_BATTERY) => Some(Alarm::LowBattery),
        _ => None,
    }
}

/// Units of the readings SPEC.md documents; other fields are shown bare.
pub fn unit_of(key: &str) -> &'static str {
    match key {
        "temperature" => "°C",
        "humidity" | "battery" => "%",
        "light" => " lux",
        "interval" => "s",
        _ => "",
    }
}

/// The unit to print after `value`: a number's only (`temperature=n/a` takes no `°C`).
pub fn unit_for(key: &str, value: &Value) -> &'static str {
    if value.is_number() { unit_of(key) } else { "" }
}

/// Calls `each(path, leaf, value)` for every reading in order, flattening nested objects into
/// `parent.child` paths (`leaf` is the last part, which decides the unit). One path buffer is reused.
pub fn visit(data: &Map<String, Value>, mut each: impl FnMut(&str, &str, &Value)) {
    let mut path = String::new();
    for (key, value) in data {
        path.clear();
        path.push_str(key);
        visit_value(&mut path, key, value, &mut each);
    }
}

fn visit_value(path: &mut String, leaf: &str, value: &Value, each: &mut impl FnMut(&str, &str, &Value)) {
    let Value::Object(fields) = value else {
        each(path, leaf, value);
        return;
    };
    let parent_len = path.len();
    for (key, child) in fields {
        path.truncate(parent_len);
        path.push('.');
        path.push_str(key);
        visit_value(path, key, child, each);
    }
    path.truncate(parent_len);
}

/// Appends a reading's value as a person reads it: bare strings without quotes, simple arrays joined
/// with commas (`lonlat=116.39,39.91`), anything else as its JSON text.
pub fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::String(text) if is_bare(text) => out.extend_from_slice(text.as_bytes()),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
        }
        // Quoted strings, nested arrays, numbers, booleans and null: their JSON text.
        other => {
            let _ = serde_json::to_writer(&mut *out, other);
        }
    }
}

/// Strings that read unambiguously without quotes.
fn is_bare(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '=' | ','))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn alarms_are_leak_smoke_and_a_low_battery() {
        assert_eq!(alarm("leak", &json!(true)), Some(Alarm::Leak));
        assert_eq!(alarm("leak", &json!(false)), None);
        assert_eq!(alarm("smoke", &json!(1)), Some(Alarm::Smoke));
        assert_eq!(alarm("smoke", &json!(0)), None);
        assert_eq!(alarm("smoke", &json!(0.0)), None);
        assert_eq!(alarm("battery", &json!(19)), Some(Alarm::LowBattery));
        assert_eq!(alarm("battery", &json!(19.9)), Some(Alarm::LowBattery));
        assert_eq!(alarm("battery", &json!(20)), None);
        // Other fields, other types and nested names raise nothing.
        assert_eq!(alarm("temperature", &json!(99)), None);
        assert_eq!(alarm("leak", &json!("true")), None);
        assert_eq!(alarm("x.leak", &json!(true)), None);
    }

    #[test]
    fn only_numbers_take_a_unit() {
        assert_eq!(unit_for("temperature", &json!(21.5)), "°C");
        assert_eq!(unit_for("temperature", &json!("n/a")), "");
        assert_eq!(unit_for("battery", &json!(null)), "");
    }

    #[test]
    fn visits_nested_readings_as_paths() {
        let data = json!({"magnetic": {"x": 1, "z": {"raw": 3}}, "battery": 5});
        let mut seen = Vec::new();
        visit(data.as_object().unwrap(), |path, leaf, value| seen.push(format!("{path}|{leaf}|{value}")));
        assert_eq!(seen, ["magnetic.x|x|1", "magnetic.z.raw|raw|3", "battery|battery|5"]);
    }
}
