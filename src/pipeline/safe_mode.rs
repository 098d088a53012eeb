//! Safe mode: SENSORO replaces a push's `data` with `encryptData`, encrypted with the AppKey by the
//! WeChat-platform message scheme (docs/service.md, "Safe mode"):
//!
//! `base64( AES-256-CBC( key, iv = key[..16], random16 ‖ len_be32(msg) ‖ msg ‖ AppID ‖ pad32 ) )`
//!
//! where the key is the 43-character AppKey base64-decoded and `pad32` is PKCS#7-style padding to a
//! multiple of 32 bytes. The vendor's reference decoder is lax; we check everything and say why.

use std::fmt;

use aes::Aes256;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use serde_json::{Map, Value};

use super::push::Push;

/// The scheme pads to this block size (not AES's 16).
pub const PAD_BLOCK: usize = 32;
const RANDOM_LEN: usize = 16;
const HEADER_LEN: usize = RANDOM_LEN + 4;

/// AppKeys as the console hands them out: the 43rd character usually has non-zero unused bits and
/// there is no `=`; a strict decoder rejects about 3 keys in 4.
const APP_KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The AES-256 key decoded from an AppKey. Never printed.
#[derive(Clone)]
pub struct AppKey([u8; 32]);

impl fmt::Debug for AppKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppKey(<hidden>)")
    }
}

impl AppKey {
    /// Parses the AppKey text from the console. The error says what is wrong, never the key itself.
    pub fn parse(text: &str) -> Result<AppKey, AppKeyError> {
        let text = text.trim();
        let bytes = APP_KEY_BASE64.decode(text).map_err(|e| AppKeyError::NotBase64(e.to_string()))?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| AppKeyError::WrongLength { bytes: bytes.len(), characters: text.len() })?;
        Ok(AppKey(key))
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0; 16];
        iv.copy_from_slice(&self.0[..16]);
        iv
    }
}

/// Why a text is not an AppKey. `Display` says what is wrong, never the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppKeyError {
    NotBase64(String),
    WrongLength { bytes: usize, characters: usize },
}

impl fmt::Display for AppKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppKeyError::NotBase64(e) => write!(f, "it is not base64 ({e})"),
            AppKeyError::WrongLength { bytes, characters } => {
                write!(f, "it decodes to {bytes} bytes, not 32 (an AppKey has 43 characters; this has {characters})")
            }
        }
    }
}

impl std::error::Error for AppKeyError {}

/// Why an `encryptData` could not be opened. `Display` is one line for stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    NotAString,
    NoAppId,
    NotBase64(String),
    BadLength(usize),
    BadPadding(u8),
    TooShort(usize),
    BadLengthField { declared: usize, available: usize },
    NotUtf8,
    NotJsonObject(String),
    WrongAppId(String),
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::NotAString => write!(f, "encryptData is not a string"),
            DecryptError::NoAppId => write!(f, "the push has no appId to check the decryption against: give the AppID"),
            DecryptError::NotBase64(e) => write!(f, "encryptData is not base64 ({e})"),
            DecryptError::BadLength(n) => write!(f, "ciphertext is {n} bytes, not a multiple of 16"),
            DecryptError::BadPadding(n) => write!(f, "bad padding (last byte {n}): wrong AppKey?"),
            DecryptError::TooShort(n) => write!(f, "plaintext is {n} bytes, too short for the header: wrong AppKey?"),
            DecryptError::BadLengthField { declared, available } => {
                write!(f, "length field says {declared} bytes but only {available} follow: wrong AppKey?")
            }
            DecryptError::NotUtf8 => write!(f, "decrypted message is not UTF-8: wrong AppKey?"),
            DecryptError::NotJsonObject(why) => write!(f, "decrypted message is not a JSON object ({why})"),
            DecryptError::WrongAppId(id) => write!(f, "encrypted for AppID {id:?}, not this one: check the AppID"),
        }
    }
}

/// Safe-mode settings: the AppKey, if given, and the AppID pushes must be encrypted for (None: each
/// push's own `appId`, for offline decoding).
#[derive(Debug, Clone, Default)]
pub struct SafeMode {
    app_id: Option<String>,
    key: Option<AppKey>,
}

/// What [`SafeMode::open`] did to a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// No `encryptData`: nothing to do.
    Plain,
    Decrypted,
    /// `encryptData` but no AppKey configured: left as it is.
    NoKey,
    /// Left as it is, for this reason.
    Failed(DecryptError),
}

impl SafeMode {
    pub fn new(app_id: Option<String>, key: Option<AppKey>) -> Self {
        Self { app_id, key }
    }

    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// Replaces a safe-mode push's `encryptData` by the decrypted `data`; on failure the push is unchanged.
    pub fn open(&self, push: &mut Push) -> Opened {
        let Some(encrypted) = push.fields.get("encryptData") else { return Opened::Plain };
        let Some(key) = &self.key else { return Opened::NoKey };
        let Some(text) = encrypted.as_str() else { return Opened::Failed(DecryptError::NotAString) };
        let Some(app_id) = self.app_id.as_deref().or_else(|| push.app_id()) else {
            return Opened::Failed(DecryptError::NoAppId);
        };
        match decrypt(key, app_id, text) {
            Ok(data) => {
                push.replace_encrypted(data);
                Opened::Decrypted
            }
            Err(e) => Opened::Failed(e),
        }
    }
}

/// Decrypts an `encryptData` string into the `data` object, checking that it was made for `app_id`.
pub fn decrypt(key: &AppKey, app_id: &str, encrypt_data: &str) -> Result<Map<String, Value>, DecryptError> {
    let mut buffer = STANDARD.decode(encrypt_data.trim()).map_err(|e| DecryptError::NotBase64(e.to_string()))?;
    if buffer.is_empty() || !buffer.len().is_multiple_of(16) {
        return Err(DecryptError::BadLength(buffer.len()));
    }
    let plain = cbc::Decryptor::<Aes256>::new(&key.0.into(), &key.iv().into())
        .decrypt_padded_mut::<NoPadding>(&mut buffer)
        .map_err(|_| DecryptError::BadLength(encrypt_data.len()))?;

    let pad = plain[plain.len() - 1];
    let pad_len = usize::from(pad);
    if !(1..=PAD_BLOCK).contains(&pad_len)
        || pad_len > plain.len()
        || plain[plain.len() - pad_len..].iter().any(|&b| b != pad)
    {
        return Err(DecryptError::BadPadding(pad));
    }
    let framed = &plain[..plain.len() - pad_len];
    if framed.len() < HEADER_LEN {
        return Err(DecryptError::TooShort(framed.len()));
    }
    let declared = u32::from_be_bytes(framed[RANDOM_LEN..HEADER_LEN].try_into().expect("4 bytes")) as usize;
    let body = &framed[HEADER_LEN..];
    if declared > body.len() {
        return Err(DecryptError::BadLengthField { declared, available: body.len() });
    }
    let (message, id) = body.split_at(declared);
    let message = std::str::from_utf8(message).map_err(|_| DecryptError::NotUtf8)?;
    let id = std::str::from_utf8(id).map_err(|_| DecryptError::NotUtf8)?;
    if id != app_id {
        return Err(DecryptError::WrongAppId(id.to_owned()));
    }
    match serde_json::from_str::<Value>(message) {
        Ok(Value::Object(data)) => Ok(data),
        Ok(_) => Err(DecryptError::NotJsonObject("JSON, but not an object".into())),
        Err(e) => Err(DecryptError::NotJsonObject(e.to_string())),
    }
}

/// The scheme's plaintext frame: `random16 ‖ len_be32(message) ‖ message ‖ app_id ‖ pad32`.
pub fn frame(random: [u8; 16], message: &[u8], app_id: &str) -> Vec<u8> {
    let mut plain = Vec::with_capacity(HEADER_LEN + message.len() + app_id.len() + PAD_BLOCK);
    plain.extend_from_slice(&random);
    let length = u32::try_from(message.len()).expect("a message under 4 GiB");
    plain.extend_from_slice(&length.to_be_bytes());
    plain.extend_from_slice(message);
    plain.extend_from_slice(app_id.as_bytes());
    let pad = PAD_BLOCK - plain.len() % PAD_BLOCK;
    plain.resize(plain.len() + pad, pad as u8);
    plain
}

/// Encrypts any plaintext whose length is a multiple of 16 and base64-encodes it. With [`frame`]
/// this is the service's `encryptData`; on its own it lets tests build malformed frames.
pub fn encrypt_blocks(key: &AppKey, plain: &[u8]) -> String {
    assert!(plain.len().is_multiple_of(16), "AES-CBC without padding needs whole blocks");
    let mut buffer = plain.to_vec();
    let length = buffer.len();
    let cipher = cbc::Encryptor::<Aes256>::new(&key.0.into(), &key.iv().into())
        .encrypt_padded_mut::<NoPadding>(&mut buffer, length)
        .expect("whole blocks");
    STANDARD.encode(cipher)
}

/// `encryptData` for a `data` object's JSON text, as the service makes it.
pub fn encrypt(key: &AppKey, app_id: &str, message: &str, random: [u8; 16]) -> String {
    encrypt_blocks(key, &frame(random, message.as_bytes(), app_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize)]
    struct Fixtures {
        vectors: Vec<Vector>,
    }

    #[derive(serde::Deserialize)]
    struct Vector {
        name: String,
        app_id: String,
        app_key: String,
        message: String,
        encrypt_data: String,
    }

    fn fixtures() -> Vec<Vector> {
        let text = include_str!("../../tests/fixtures/safe_mode/vectors.json");
        serde_json::from_str::<Fixtures>(text).expect("vectors.json parses").vectors
    }

    #[test]
    fn decrypts_every_vector_made_by_the_reference_library() {
        let vectors = fixtures();
        assert!(vectors.len() >= 30, "a few dozen vectors");
        for v in &vectors {
            let key = AppKey::parse(&v.app_key).unwrap_or_else(|e| panic!("{}: {e}", v.name));
            let data = decrypt(&key, &v.app_id, &v.encrypt_data).unwrap_or_else(|e| panic!("{}: {e}", v.name));
            let expected: Value = serde_json::from_str(&v.message).unwrap();
            assert_eq!(Value::Object(data), expected, "{}", v.name);
        }
    }

    #[test]
    fn fixtures_cover_non_canonical_keys_and_a_full_padding_block() {
        let vectors = fixtures();
        let non_canonical = vectors.iter().filter(|v| STANDARD.decode(format!("{}=", v.app_key)).is_err()).count();
        assert!(non_canonical >= 10, "most generated keys are non-canonical, got {non_canonical}");
        let full_block = vectors.iter().find(|v| v.name.starts_with("full-padding-block")).expect("vector");
        let key = AppKey::parse(&full_block.app_key).unwrap();
        let mut plain = STANDARD.decode(&full_block.encrypt_data).unwrap();
        let plain = cbc::Decryptor::<Aes256>::new(&key.0.into(), &key.iv().into())
            .decrypt_padded_mut::<NoPadding>(&mut plain)
            .unwrap();
        assert_eq!(plain[plain.len() - PAD_BLOCK..], [32u8; 32]);
        assert!(decrypt(&key, &full_block.app_id, &full_block.encrypt_data).is_ok());
    }

    #[test]
    fn app_keys_must_decode_to_32_bytes() {
        assert!(AppKey::parse(&"A".repeat(43)).is_ok());
        assert!(AppKey::parse(&format!("{}=", "A".repeat(43))).is_ok());
        assert!(AppKey::parse("c2hvcnQ").unwrap_err().to_string().contains("decodes to 5 bytes, not 32"));
        assert!(matches!(AppKey::parse("short"), Err(AppKeyError::NotBase64(_))));
        // The unused low bits of the 43rd character are ignored, as the reference does.
        let canonical = AppKey::parse(&"A".repeat(43)).unwrap();
        let non_canonical = AppKey::parse(&format!("{}D", "A".repeat(42))).unwrap();
        assert_eq!(canonical.0, non_canonical.0);
        assert!(AppKey::parse(&"A".repeat(44)).unwrap_err().to_string().contains("not 32"));
        assert!(matches!(AppKey::parse(&format!("{}!", "A".repeat(42))), Err(AppKeyError::NotBase64(_))));
        assert_eq!(format!("{:?}", AppKey::parse(&"A".repeat(43)).unwrap()), "AppKey(<hidden>)");
    }

    fn key(fill: u8) -> AppKey {
        AppKey([fill; 32])
    }

    #[test]
    fn each_failure_says_why() {
        let k = key(7);
        let good = encrypt(&k, "foobar", r#"{"t":1}"#, [1; 16]);
        assert!(decrypt(&k, "foobar", &good).is_ok());
        assert!(matches!(decrypt(&k, "foobar", "@@@"), Err(DecryptError::NotBase64(_))));
        assert_eq!(decrypt(&k, "foobar", &STANDARD.encode([0u8; 20])), Err(DecryptError::BadLength(20)));
        assert_eq!(decrypt(&k, "foobar", ""), Err(DecryptError::BadLength(0)));
        let wrong_key = decrypt(&key(8), "foobar", &good).unwrap_err();
        assert!(wrong_key.to_string().contains("wrong AppKey?"), "{wrong_key}");
        assert_eq!(decrypt(&k, "other", &good), Err(DecryptError::WrongAppId("foobar".into())));
        assert!(decrypt(&k, "other", &good).unwrap_err().to_string().contains("encrypted for AppID \"foobar\""));

        // Padding: a byte inside the padding run that differs, and a count above 32.
        let mut plain = frame([1; 16], br#"{"t":1}"#, "foobar");
        let n = plain.len();
        plain[n - 2] ^= 1;
        assert!(matches!(decrypt(&k, "foobar", &encrypt_blocks(&k, &plain)), Err(DecryptError::BadPadding(_))));
        let mut plain = vec![0u8; 64];
        plain[63] = 33;
        assert_eq!(decrypt(&k, "foobar", &encrypt_blocks(&k, &plain)), Err(DecryptError::BadPadding(33)));

        // A length field pointing past the end.
        let mut plain = frame([1; 16], br#"{"t":1}"#, "foobar");
        plain[16..20].copy_from_slice(&1000u32.to_be_bytes());
        let err = decrypt(&k, "foobar", &encrypt_blocks(&k, &plain)).unwrap_err();
        assert!(matches!(err, DecryptError::BadLengthField { declared: 1000, .. }), "{err}");

        // Too short for the header: 16 bytes of content plus 16 of padding.
        let mut plain = vec![0u8; 32];
        plain[16..].fill(16);
        assert_eq!(decrypt(&k, "foobar", &encrypt_blocks(&k, &plain)), Err(DecryptError::TooShort(16)));

        // Invalid UTF-8 and valid JSON that is not an object.
        let bad_utf8 = encrypt_blocks(&k, &frame([1; 16], b"{\"t\":\"\xff\"}", "foobar"));
        assert_eq!(decrypt(&k, "foobar", &bad_utf8), Err(DecryptError::NotUtf8));
        let array = encrypt(&k, "foobar", "[1,2]", [1; 16]);
        assert!(matches!(decrypt(&k, "foobar", &array), Err(DecryptError::NotJsonObject(_))));
        let text = encrypt(&k, "foobar", "hello", [1; 16]);
        assert!(matches!(decrypt(&k, "foobar", &text), Err(DecryptError::NotJsonObject(_))));
    }

    fn json_object() -> impl Strategy<Value = Map<String, Value>> {
        let leaf = prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,20}".prop_map(Value::String),
        ];
        prop::collection::vec(("[a-zA-Z_]{1,12}", leaf), 0..12).prop_map(|pairs| pairs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn round_trips_any_object_for_any_app_id(
            key_bytes in any::<[u8; 32]>(),
            random in any::<[u8; 16]>(),
            app_id in "[0-9a-zA-Z]{1,40}",
            data in json_object(),
        ) {
            let k = AppKey(key_bytes);
            let message = serde_json::to_string(&data).unwrap();
            let encrypted = encrypt(&k, &app_id, &message, random);
            prop_assert_eq!(decrypt(&k, &app_id, &encrypted).unwrap(), data);
        }

        #[test]
        fn never_panics_on_garbage(text in "\\PC{0,200}", bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let k = key(3);
            let _ = decrypt(&k, "foobar", &text);
            let _ = decrypt(&k, "foobar", &STANDARD.encode(&bytes));
        }

        #[test]
        fn a_key_text_round_trips_through_base64(key_bytes in any::<[u8; 32]>()) {
            let text = STANDARD.encode(key_bytes);
            prop_assert_eq!(AppKey::parse(&text[..43]).unwrap().0, key_bytes);
        }
    }
}
