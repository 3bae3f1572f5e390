//! RFC 8785 (JSON Canonicalization Scheme) bytes of a [`Value`]: the exact bytes that get hashed and signed.
//!
//! Object members are sorted by their keys' UTF-16 code units, strings use the minimal escapes of
//! ECMAScript `JSON.stringify`, and numbers are written as ECMAScript writes doubles.

use super::value::{Number, Object, Value};
use crate::prelude::*;
use crate::text::{sort_by_utf16, write_integer};

/// The canonical (RFC 8785) serialisation of `value`.
pub fn to_canonical_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, *n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(object) => write_object(out, object),
    }
}

fn write_object(out: &mut String, object: &Object) {
    let mut members: Vec<(&str, &Value)> = object.iter().collect();
    sort_by_utf16(&mut members);
    out.push('{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let b = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(out: &mut String, number: Number) {
    match number {
        Number::Int(n) => write_integer(out, n),
        #[cfg(not(target_arch = "wasm32"))]
        Number::Float(x) => write_double(out, x),
    }
}

/// ECMAScript Number::toString (ECMA-262 7.1.12.1) from the shortest round-trip digits.
#[cfg(not(target_arch = "wasm32"))]
fn write_double(out: &mut String, x: f64) {
    if x == 0.0 {
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // `{:e}` gives the shortest digits that round-trip, as `d.ddde±N`.
    let scientific = std::format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(core::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        write_integer(out, i64::from((n - 1).abs()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_in_plain_decimal() {
        for (n, text) in [(0, "0"), (-7, "-7"), (9_007_199_254_740_991, "9007199254740991")] {
            assert_eq!(to_canonical_string(&Value::from(n)), text);
        }
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn doubles_follow_ecmascript_number_to_string() {
        use crate::json::parse_with_doubles as parse;
        let cases = [
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("123.456", "123.456"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("-0.0", "0"),
            ("-1.5e-10", "-1.5e-10"),
            ("56.0", "56"),
            ("9007199254740993", "9007199254740992"),
        ];
        for (input, expected) in cases {
            let value = parse(input).unwrap_or(Value::Null);
            assert_eq!(to_canonical_string(&value), expected, "for {input}");
        }
    }
}
