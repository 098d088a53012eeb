//! What a push's readings look like to a person: units (from `vocabulary`), nested readings as
//! paths, values as text. Shared by every view (`pretty` and `watch`); which readings are trouble is
//! `alarm`'s.

use serde_json::{Map, Value};

/// The unit written after a reading's value (`°C`, ` lux`), from the vocabulary table; keys we do
/// not know are shown bare.
pub fn unit_of(key: &str) -> &'static str {
    super::vocabulary::known(key).map_or("", |known| known.suffix())
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
/// with commas (`lonlat=116.39,39.91`), anything else as its JSON text, where a character a terminal
/// would act on is a JSON escape (`crate::visible`).
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
            let start = out.len();
            let _ = serde_json::to_writer(&mut *out, other);
            crate::visible::escape_json_tail(out, start);
        }
    }
}

/// Strings that read unambiguously without quotes.
fn is_bare(text: &str) -> bool {
    !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || crate::visible::acts_on_terminal(c) || matches!(c, '"' | '=' | ','))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn units_come_from_the_vocabulary() {
        assert_eq!(unit_of("temperature"), "°C");
        assert_eq!(unit_of("light"), " lux");
        assert_eq!(unit_of("a_curr"), " A");
        assert_eq!(unit_of("no_such_reading"), "");
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
