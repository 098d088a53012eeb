//! Durations on the command line: `30s`, `5m`, `1h30m`, `250ms` (parsed by `humantime`).

use std::time::Duration;

/// Value parser for the flags: a positive duration with a unit. A bare number is refused rather than guessed at.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("add a unit, e.g. {text}s or {text}m"));
    }
    let duration = humantime::parse_duration(text).map_err(|e| format!("{e}; use e.g. 30s, 5m, 1h30m or 250ms"))?;
    if duration.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(duration)
}

/// Short human form for status lines: `1.5s`, `2m`, `1h 30m`.
pub fn display(duration: Duration) -> String {
    if duration < Duration::from_secs(60) {
        let ms = duration.as_millis();
        return if ms.is_multiple_of(1000) {
            format!("{}s", ms / 1000)
        } else {
            format!("{:.1}s", duration.as_secs_f64())
        };
    }
    humantime::format_duration(Duration::from_secs(duration.as_secs())).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration(" 2s "), Ok(Duration::from_secs(2)));
    }

    #[test]
    fn refuses_bare_numbers_with_a_hint() {
        let err = parse_duration("30").unwrap_err();
        assert!(err.contains("30s"), "{err}");
    }

    #[test]
    fn refuses_zero_garbage_and_negative() {
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-5s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn displays_short_forms() {
        assert_eq!(display(Duration::from_secs(4)), "4s");
        assert_eq!(display(Duration::from_millis(1500)), "1.5s");
        assert_eq!(display(Duration::from_secs(120)), "2m");
    }
}
