//! The one rule for text from outside on a terminal: a character that a terminal would act on
//! instead of showing (C0 and C1 controls, DEL, the bidi overrides and isolates) is written as a
//! visible escape, never emitted. A push's `sn` can otherwise retitle the window (`ESC ] 0 ; … BEL`),
//! clear the screen, or hide a line behind CR; U+202E reverses what follows.
//!
//! The forms are those of a Rust string literal, so they read the way `ls` and git quote file names:
//! `\e` (ESC), `\n`, `\r`, `\t`, `\x07` (other C0 and DEL), `\u{9b}` (C1), `\u{202e}` (bidi). A
//! backslash is left as it is. Every string from the broker or a push goes through here before a
//! terminal sees it: `pretty`'s fields and keys, status lines (topics in warnings), `watch`'s
//! cells, `check`'s push line, `config show`'s values. NDJSON and raw are data and stay byte-exact.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for a character a terminal acts on rather than shows.
pub fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal acts on escaped; borrowed when there is none (the common case).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

/// Bytes that should be UTF-8 but may not be (a topic as the broker sent it): valid parts as
/// [`visible`], each invalid byte as `\xNN`.
pub fn visible_bytes(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return visible(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c);
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    Cow::Owned(out)
}

/// Appends `text` to a line being built, escaped as [`visible`].
pub fn push_visible(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(visible(text).as_bytes());
}

/// JSON text (as serde_json writes it) with DEL, C1 and bidi characters escaped as JSON `\uXXXX`,
/// so it stays valid JSON with the same value. serde_json already escapes C0; these it leaves raw,
/// and they can only occur inside strings, so replacing them is safe. Our own color codes (ESC,
/// a C0 character) are left alone.
pub fn escape_json_text(json: &[u8]) -> Cow<'_, [u8]> {
    let Ok(text) = std::str::from_utf8(json) else { return Cow::Borrowed(json) };
    if !text.chars().any(|c| c >= '\x7f' && acts_on_terminal(c)) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c >= '\x7f' && acts_on_terminal(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out.into_bytes())
}

/// Escapes the JSON text written into `out` from `start` on, in place (see [`escape_json_text`]).
pub fn escape_json_tail(out: &mut Vec<u8>, start: usize) {
    if let Cow::Owned(escaped) = escape_json_text(&out[start..]) {
        out.truncate(start);
        out.extend_from_slice(&escaped);
    }
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\x1b' => out.push_str("\\e"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0'..='\x1f' | '\x7f' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if acts_on_terminal(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(visible("0117C9A1B2C3D4E5 temp_humi °C 温度"), Cow::Borrowed(_)));
        assert!(matches!(escape_json_text(br#"{"a":"\u001b x"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_and_bidi_are_shown_not_emitted() {
        assert_eq!(visible("a\x1b]0;pwned\x07b"), "a\\e]0;pwned\\x07b");
        assert_eq!(visible("x\ry\x08z\tw\n"), "x\\ry\\x08z\\tw\\n");
        assert_eq!(visible("\u{9b}2J\u{7f}"), "\\u{9b}2J\\x7f");
        assert_eq!(visible("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
    }

    #[test]
    fn invalid_bytes_are_hex() {
        assert_eq!(visible_bytes(b"users/\xff/devices\0"), "users/\\xff/devices\\x00");
        assert_eq!(visible_bytes("ok/\u{202e}".as_bytes()), "ok/\\u{202e}");
    }

    #[test]
    fn json_text_keeps_its_value_and_our_colors() {
        let json = "\x1b[32m\"a\u{9b}b\u{202e}c\u{7f}\"\x1b[0m";
        let escaped = escape_json_text(json.as_bytes());
        assert_eq!(std::str::from_utf8(&escaped).unwrap(), "\x1b[32m\"a\\u009bb\\u202ec\\u007f\"\x1b[0m");
        let plain = serde_json::to_string("a\u{9b}b\u{202e}c\u{7f}").unwrap();
        let value: String = serde_json::from_slice(&escape_json_text(plain.as_bytes())).unwrap();
        assert_eq!(value, "a\u{9b}b\u{202e}c\u{7f}");
    }
}
