//! Durations on the command line: `30s`, `5m`, `1h30m`, `250ms` (parsed by `humantime`).

use std::time::Duration;

/// The longest duration any flag takes: 100 years (humantime's `y`, 365.25 days). Longer than any
/// run, and far below what a clock reading (`Instant`) can hold, so a deadline of now plus this
/// (plus however long the run has lasted) never overflows.
pub const MAX: Duration = Duration::from_secs(100 * 31_557_600);
/// How `MAX` is written in messages and docs.
pub const MAX_TEXT: &str = "100y";

/// The longest MQTT keepalive: the CONNECT packet carries it as 16-bit seconds.
pub const MAX_KEEPALIVE: Duration = Duration::from_secs(u16::MAX as u64);

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
    if duration > MAX {
        return Err(format!("longer than the maximum, {MAX_TEXT}: give at most {MAX_TEXT}, or leave the flag out"));
    }
    Ok(duration)
}

/// Value parser for `--keepalive`: a duration that fits MQTT's 16-bit keepalive field, never wrapped.
pub fn parse_keepalive(text: &str) -> Result<Duration, String> {
    let keepalive = parse_duration(text)?;
    if keepalive > MAX_KEEPALIVE {
        return Err(format!(
            "longer than the maximum, {}s ({}): MQTT carries the keepalive in 16 bits",
            MAX_KEEPALIVE.as_secs(),
            display(MAX_KEEPALIVE)
        ));
    }
    Ok(keepalive)
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
    fn refuses_durations_beyond_the_maximum_and_names_it() {
        assert_eq!(parse_duration("100y"), Ok(MAX));
        for text in ["300000000000y", "18446744073709551615s", "101y", "3155760001s"] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains("maximum, 100y"), "{text}: {err}");
        }
        // The maximum leaves room: a deadline at twice it from now still fits a clock reading.
        assert!(std::time::Instant::now().checked_add(MAX * 2).is_some());
    }

    #[test]
    fn keepalive_fits_mqtts_16_bit_field() {
        assert_eq!(parse_keepalive("65535s"), Ok(Duration::from_secs(65_535)));
        assert_eq!(parse_keepalive("30s"), Ok(Duration::from_secs(30)));
        for text in ["65536s", "131072s", "100000h", "300000000000y"] {
            let err = parse_keepalive(text).unwrap_err();
            assert!(err.contains("maximum"), "{text}: {err}");
        }
        assert!(parse_keepalive("131072s").unwrap_err().contains("65535s (18h 12m 15s)"));
    }

    #[test]
    fn displays_short_forms() {
        assert_eq!(display(Duration::from_secs(4)), "4s");
        assert_eq!(display(Duration::from_millis(1500)), "1.5s");
        assert_eq!(display(Duration::from_secs(120)), "2m");
    }
}
