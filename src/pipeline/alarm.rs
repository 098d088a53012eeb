//! Alarm rules: which readings mean trouble. One engine for every view — `pretty` (red), `watch`
//! (red cells, the alarm count), `--envelope` (an `alarms` field), `--alarms-only` and
//! `--exit-on-alarm` — so a reading is an alarm in all of them or in none.
//!
//! A rule names a reading by its path in `data` (`temperature`, `magnetic.x`) and says when it is an
//! alarm:
//!
//! ```text
//! leak               true, or a number other than 0
//! temperature>50     also >=, <, <=, ==, != against a number
//! door==open         == and != against a word (or true/false)
//! -battery           drop the default rules on battery
//! none               drop every default rule
//! ```
//!
//! The user's rules add to the defaults ([`Rules::defaults`]), except that a rule on a reading
//! replaces the default rules on that same reading: `battery<10` moves the low-battery mark.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::reading;
use super::vocabulary::KNOWN;

/// A battery below this percentage is an alarm by default.
pub const LOW_BATTERY: f64 = 20.0;

/// The default rules beyond the table's detectors (`true` or not 0), as the user would write them.
/// `temperature>50` and `ch4>=1000` are our convention (the demo's alarm states, src/simulator/fleet.rs);
/// the SENSORO platform sets thresholds per device in its console, which pushes do not carry.
pub const DEFAULT_THRESHOLDS: &[&str] = &["battery<20", "temperature>50", "ch4>=1000"];

/// The grammar in one line, for error messages and `--help`.
pub const GRAMMAR: &str = "a rule is KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V or KEY!=V \
                           (V a number, true, false or a word), -KEY (drop KEY's default rules) or none \
                           (drop all defaults); e.g. temperature>50";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }
}

/// What a rule compares the reading with.
#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Number(f64),
    Bool(bool),
    Word(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Test {
    /// `true`, or a number other than 0.
    Set,
    Compare(Op, Operand),
}

/// One rule: a reading and when it is an alarm.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    path: String,
    test: Test,
    /// As the user wrote it (without blanks): what `--envelope` and messages show.
    text: String,
}

/// A line of the user's rule list: a rule, or the removal of defaults.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Rule(Rule),
    /// `-KEY`: no default rule on KEY.
    Drop(String),
    /// `none`: no default rule at all.
    DropAll,
}

/// Why a rule does not parse. Its `Display` names no flag (the config layer adds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub rule: String,
    pub reason: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an alarm rule ({}): {GRAMMAR}", self.rule, self.reason)
    }
}

impl std::error::Error for RuleError {}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().all(is_key_char)
        && !key.starts_with(['.', '-'])
        && !key.ends_with('.')
        && !key.contains("..")
}

impl Entry {
    pub fn parse(text: &str) -> Result<Entry, RuleError> {
        let error = |reason: &str| RuleError { rule: text.to_owned(), reason: reason.to_owned() };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(error("it is empty"));
        }
        if trimmed == "none" {
            return Ok(Entry::DropAll);
        }
        if let Some(key) = trimmed.strip_prefix('-') {
            let key = key.trim();
            return if valid_key(key) { Ok(Entry::Drop(key.to_owned())) } else { Err(error("no reading after -")) };
        }
        let Some(at) = trimmed.find(['<', '>', '=', '!']) else {
            return if valid_key(trimmed) {
                Ok(Entry::Rule(Rule { path: trimmed.to_owned(), test: Test::Set, text: trimmed.to_owned() }))
            } else {
                Err(error("a reading's name is letters, digits, _ and . (magnetic.x)"))
            };
        };
        let key = trimmed[..at].trim();
        let rest = &trimmed[at..];
        let (op, operand) =
            [(">=", Op::Ge), ("<=", Op::Le), ("==", Op::Eq), ("!=", Op::Ne), (">", Op::Gt), ("<", Op::Lt)]
                .into_iter()
                .find_map(|(symbol, op)| rest.strip_prefix(symbol).map(|operand| (op, operand.trim())))
                .ok_or_else(|| error("a single = compares nothing; write =="))?;
        if !valid_key(key) {
            return Err(error(if key.is_empty() {
                "no reading before the operator"
            } else {
                "a reading's name is letters, digits, _ and . (magnetic.x)"
            }));
        }
        if operand.is_empty() {
            return Err(error("nothing after the operator"));
        }
        if operand.starts_with(['<', '>', '=', '!']) {
            return Err(error("one operator per rule"));
        }
        let operand = match operand.parse::<f64>() {
            Ok(n) if n.is_finite() => Operand::Number(n),
            Ok(_) => return Err(error("the number is not finite")),
            Err(_) => match operand {
                "true" => Operand::Bool(true),
                "false" => Operand::Bool(false),
                word if matches!(op, Op::Eq | Op::Ne) => Operand::Word(word.to_owned()),
                _ => return Err(error("<, <=, > and >= compare with a number")),
            },
        };
        if matches!(operand, Operand::Bool(_)) && !matches!(op, Op::Eq | Op::Ne) {
            return Err(error("<, <=, > and >= compare with a number"));
        }
        let text = format!("{key}{}{}", op.text(), operand_text(&operand));
        Ok(Entry::Rule(Rule { path: key.to_owned(), test: Test::Compare(op, operand), text }))
    }
}

fn operand_text(operand: &Operand) -> String {
    match operand {
        Operand::Number(n) => n.to_string(),
        Operand::Bool(b) => b.to_string(),
        Operand::Word(w) => w.clone(),
    }
}

/// A reading as a number: a JSON number, or a string that is one (some devices send `"23.5"`).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

impl Rule {
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `value` (the reading at this rule's path) is an alarm.
    pub fn raises(&self, value: &Value) -> bool {
        match &self.test {
            Test::Set => match value {
                Value::Bool(b) => *b,
                Value::Number(_) => number(value).is_some_and(|n| n != 0.0),
                _ => false,
            },
            Test::Compare(op, Operand::Number(limit)) => number(value).is_some_and(|n| match op {
                Op::Gt => n > *limit,
                Op::Ge => n >= *limit,
                Op::Lt => n < *limit,
                Op::Le => n <= *limit,
                Op::Eq => n == *limit,
                Op::Ne => n != *limit,
            }),
            Test::Compare(op, Operand::Bool(want)) => {
                let equal = value.as_bool() == Some(*want);
                value.is_boolean() && (equal == (*op == Op::Eq))
            }
            Test::Compare(op, Operand::Word(word)) => {
                let equal = value.as_str() == Some(word.as_str());
                value.is_string() && (equal == (*op == Op::Eq))
            }
        }
    }
}

/// An alarm a push raised: which reading, its value, and the rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Raised {
    pub reading: String,
    pub value: Value,
    pub rule: String,
}

/// The rules in force.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::defaults()
    }
}

impl Rules {
    /// The default rules: every detector of the vocabulary table (`true` or not 0), and
    /// [`DEFAULT_THRESHOLDS`].
    pub fn defaults() -> Rules {
        let detectors = KNOWN.iter().filter(|k| k.alarm_when_set).map(|k| k.key);
        let rules = detectors
            .chain(DEFAULT_THRESHOLDS.iter().copied())
            .map(|text| match Entry::parse(text) {
                Ok(Entry::Rule(rule)) => rule,
                other => unreachable!("default rule {text}: {other:?}"),
            })
            .collect();
        Rules { rules }
    }

    /// The defaults with the user's entries applied: a rule on a reading replaces the defaults on
    /// it, `-KEY` drops them, `none` drops them all; the user's rules are kept in their order.
    pub fn with(entries: &[Entry]) -> Rules {
        let mut defaults = Rules::defaults().rules;
        let mut own = Vec::new();
        for entry in entries {
            match entry {
                Entry::DropAll => defaults.clear(),
                Entry::Drop(key) => defaults.retain(|rule| rule.path != *key),
                Entry::Rule(rule) => {
                    defaults.retain(|default| default.path != rule.path);
                    if !own.contains(rule) {
                        own.push(rule.clone());
                    }
                }
            }
        }
        defaults.extend(own);
        Rules { rules: defaults }
    }

    /// Parses the user's list (flags or a profile) and applies it to the defaults.
    pub fn parse<S: AsRef<str>>(texts: &[S]) -> Result<Rules, RuleError> {
        let entries = texts.iter().map(|t| Entry::parse(t.as_ref())).collect::<Result<Vec<_>, _>>()?;
        Ok(Rules::with(&entries))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    /// True when some rule raises an alarm for the reading at `path`.
    pub fn is_alarm(&self, path: &str, value: &Value) -> bool {
        self.rules.iter().any(|rule| rule.path == path && rule.raises(value))
    }

    /// The alarms among `data`'s readings, in the order of the readings (then of the rules).
    pub fn check(&self, data: &Map<String, Value>) -> Vec<Raised> {
        let mut raised = Vec::new();
        if self.rules.is_empty() {
            return raised;
        }
        reading::visit(data, |path, _, value| {
            for rule in self.rules.iter().filter(|rule| rule.path == path && rule.raises(value)) {
                raised.push(Raised { reading: path.to_owned(), value: value.clone(), rule: rule.text.clone() });
            }
        });
        raised
    }
}

/// What the alarms do to a run, besides coloring: built by the config layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlarmConfig {
    pub rules: Rules,
    /// `--alarms-only`: print only pushes with at least one alarm.
    pub only: bool,
    /// `--exit-on-alarm`: end the run (exit 6) after printing the first push with an alarm.
    pub exit_on_first: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(text: &str) -> Rule {
        match Entry::parse(text).unwrap() {
            Entry::Rule(rule) => rule,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_operator_compares_numbers() {
        let cases = [
            ("temperature>50", [false, false, true]),
            ("temperature>=50", [false, true, true]),
            ("temperature<50", [true, false, false]),
            ("temperature<=50", [true, true, false]),
            ("temperature==50", [false, true, false]),
            ("temperature!=50", [true, false, true]),
        ];
        for (text, expected) in cases {
            let rule = rule(text);
            let got = [json!(49.9), json!(50), json!(50.1)].map(|v| rule.raises(&v));
            assert_eq!(got, expected, "{text}");
            // A reading that is not a number never compares.
            assert!(!rule.raises(&json!(null)) && !rule.raises(&json!("hot")) && !rule.raises(&json!(true)), "{text}");
        }
        assert!(rule("temperature>50").raises(&json!("59.3")), "a number sent as a string");
    }

    #[test]
    fn a_bare_key_is_true_or_not_zero_and_words_compare_as_text() {
        let leak = rule("leak");
        assert!(leak.raises(&json!(true)) && leak.raises(&json!(2)) && leak.raises(&json!(-0.5)));
        assert!(!leak.raises(&json!(false)) && !leak.raises(&json!(0)) && !leak.raises(&json!(0.0)));
        assert!(!leak.raises(&json!("true")) && !leak.raises(&json!(null)) && !leak.raises(&json!({"x": 1})));
        let door = rule("door==open");
        assert!(door.raises(&json!("open")) && !door.raises(&json!("closed")) && !door.raises(&json!(1)));
        let not_closed = rule("door != closed");
        assert_eq!(not_closed.text(), "door!=closed");
        assert!(not_closed.raises(&json!("ajar")) && !not_closed.raises(&json!("closed")));
        assert!(!not_closed.raises(&json!(null)), "a missing word is no alarm");
        let flag = rule("water==true");
        assert!(flag.raises(&json!(true)) && !flag.raises(&json!(false)) && !flag.raises(&json!("true")));
        assert!(rule("water!=false").raises(&json!(true)));
        assert!(rule("magnetic.x<-100").raises(&json!(-150)));
    }

    #[test]
    fn bad_rules_say_why_and_give_the_grammar() {
        for (text, why) in [
            ("", "empty"),
            ("temperature>", "nothing after"),
            (">50", "no reading before"),
            ("temperature=50", "single ="),
            ("temperature>>50", "one operator"),
            ("temperature>hot", "compare with a number"),
            ("leak>true", "compare with a number"),
            ("temp erature>5", "letters, digits"),
            ("-", "no reading after"),
            ("a..b", "letters, digits"),
            ("x>1e999", "not finite"),
        ] {
            let err = Entry::parse(text).unwrap_err();
            assert!(err.reason.contains(why), "{text}: {err}");
            let line = err.to_string();
            assert!(line.contains(GRAMMAR) && !line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn defaults_hold_the_detectors_the_battery_and_the_demo_s_thresholds() {
        let rules = Rules::defaults();
        for (path, value, alarm) in [
            ("leak", json!(true), true),
            ("smoke", json!(1), true),
            ("flame", json!(1), true),
            ("cover", json!(true), true),
            ("battery", json!(19.9), true),
            ("battery", json!(20), false),
            ("temperature", json!(59.3), true),
            ("temperature", json!(50), false),
            ("ch4", json!(7173), true),
            ("ch4", json!(40), false),
            ("co2", json!(1500), false),
            ("x.leak", json!(true), false),
        ] {
            assert_eq!(rules.is_alarm(path, &value), alarm, "{path}={value}");
        }
    }

    #[test]
    fn the_user_s_rules_add_replace_a_reading_s_defaults_or_drop_them() {
        let rules = Rules::parse(&["battery<10", "co2>=1000", "-smoke"]).unwrap();
        assert!(!rules.is_alarm("battery", &json!(15)), "battery<10 replaced battery<20");
        assert!(rules.is_alarm("battery", &json!(9)));
        assert!(rules.is_alarm("co2", &json!(1000)));
        assert!(!rules.is_alarm("smoke", &json!(1)), "-smoke dropped it");
        assert!(rules.is_alarm("leak", &json!(true)), "other defaults stay");
        let only_mine = Rules::parse(&["none", "door==open"]).unwrap();
        assert_eq!(only_mine.iter().map(Rule::text).collect::<Vec<_>>(), ["door==open"]);
        let data = json!({"door": "open", "leak": true, "n": {"door": "open"}});
        let raised = only_mine.check(data.as_object().unwrap());
        assert_eq!(raised, [Raised { reading: "door".into(), value: json!("open"), rule: "door==open".into() }]);
        let both = Rules::parse(&["temperature>30", "temperature<0"]).unwrap();
        assert!(both.is_alarm("temperature", &json!(-1)) && both.is_alarm("temperature", &json!(31)));
        assert!(!both.is_alarm("temperature", &json!(15)));
    }
}
