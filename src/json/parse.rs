//! A strict RFC 8259 parser with I-JSON (RFC 7493) rules: no duplicate keys, no lone surrogates, no
//! trailing data, a nesting limit so hostile input cannot exhaust the stack. Errors give line and column.

use super::value::{Number, Object, Value, MAX_SAFE_INTEGER};
use crate::error::{Error, ErrorKind};
use crate::prelude::*;
use crate::text::char_count;
use crate::text::decimal;

/// How deep arrays and objects may nest. Notices and receipts need fewer than ten levels.
const MAX_DEPTH: usize = 64;

/// Parses one JSON document whose numbers are all exact integers, on every build: receipts, notices and JWS
/// headers are read alike by the native verifier and the browser, so a number only one of them could read
/// (`1.5`, `1e3`) is refused by both.
///
/// # Errors
/// Malformed JSON, duplicate keys, nesting beyond 64 levels, numbers that are not exact integers (see
/// [`Number`]), each with the line and column where it was found.
pub fn parse(text: &str) -> Result<Value, Error> {
    Parser::new(text).document()
}

/// [`parse`], but other finite numbers are read as doubles (native builds only: RFC 8785's vectors have them).
///
/// # Errors
/// As [`parse`], except for numbers with a fraction or exponent.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_with_doubles(text: &str) -> Result<Value, Error> {
    let mut parser = Parser::new(text);
    parser.doubles = true;
    parser.document()
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    /// Whether numbers other than exact integers are read (as doubles), or refused. The browser build has no
    /// float parsing at all.
    #[cfg(not(target_arch = "wasm32"))]
    doubles: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            pos: 0,
            #[cfg(not(target_arch = "wasm32"))]
            doubles: false,
        }
    }

    fn document(mut self) -> Result<Value, Error> {
        self.skip_whitespace();
        let value = self.value(0)?;
        self.skip_whitespace();
        if self.pos != self.text.len() {
            return Err(self
                .error(ErrorKind::Syntax)
                .with_detail("unexpected text after the document"));
        }
        Ok(value)
    }
}

impl Parser<'_> {
    fn error(&self, kind: ErrorKind) -> Error {
        self.error_at(kind, self.pos)
    }

    fn error_at(&self, kind: ErrorKind, pos: usize) -> Error {
        let before = &self.text[..pos.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = char_count(&before[line_start..]) + 1;
        Error::new(
            kind,
            concat(&[
                "line ",
                &decimal(line as i64),
                ", column ",
                &decimal(column as i64),
            ]),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, literal: &[u8], value: Value) -> Result<Value, Error> {
        if self.text[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.error(ErrorKind::Syntax))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.expect_literal(b"true", Value::Bool(true)),
            Some(b'f') => self.expect_literal(b"false", Value::Bool(false)),
            Some(b'n') => self.expect_literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(_) => Err(self.error(ErrorKind::Syntax)),
            None => Err(self
                .error(ErrorKind::Syntax)
                .with_detail("unexpected end of text")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        self.pos += 1;
        let mut object = Object::new();
        let mut key_positions = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(object));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self
                    .error(ErrorKind::Syntax)
                    .with_detail("expected a key in quotes"));
            }
            key_positions.push(self.pos);
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error(ErrorKind::Syntax).with_detail("expected ':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            object.push_unchecked(key, value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return match object.repeated_key() {
                        None => Ok(Value::Object(object)),
                        Some((index, key)) => Err(self
                            .error_at(ErrorKind::DuplicateKey, key_positions[index])
                            .with_detail(key)),
                    };
                }
                _ => return Err(self.error(ErrorKind::Syntax).with_detail("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error(ErrorKind::Syntax).with_detail("expected ',' or ']'")),
            }
        }
    }

    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and we stop only at ASCII bytes, so this slice is valid UTF-8.
            out.push_str(
                core::str::from_utf8(&self.text[start..self.pos])
                    .map_err(|_| self.error(ErrorKind::Syntax))?,
            );
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => {
                    return Err(self
                        .error(ErrorKind::Syntax)
                        .with_detail("control character in a string"))
                }
                None => return Err(self.error(ErrorKind::Syntax).with_detail("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Error> {
        let escaped = self.peek().ok_or_else(|| self.error(ErrorKind::Syntax))?;
        self.pos += 1;
        Ok(match escaped {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => {
                return Err(self
                    .error_at(ErrorKind::Syntax, self.pos - 1)
                    .with_detail("unknown escape"))
            }
        })
    }

    fn unicode_escape(&mut self) -> Result<char, Error> {
        let start = self.pos - 2;
        let lone = |p: &Self| p.error_at(ErrorKind::Syntax, start).with_detail("lone surrogate");
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with(b"\\u") {
                    return Err(lone(self));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(lone(self));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(lone(self)),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| lone(self))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => {
                    return Err(self
                        .error(ErrorKind::Syntax)
                        .with_detail("expected four hex digits"))
                }
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match self.digits() {
            0 => return Err(self.error(ErrorKind::Syntax).with_detail("expected a digit")),
            n if n > 1 && self.text[int_start] == b'0' => {
                return Err(self
                    .error_at(ErrorKind::Syntax, int_start)
                    .with_detail("leading zero"))
            }
            _ => {}
        }
        let int_end = self.pos;
        let mut integral = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            integral = false;
            if self.digits() == 0 {
                return Err(self.error(ErrorKind::Syntax).with_detail("expected a digit"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integral = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(ErrorKind::Syntax).with_detail("expected a digit"));
            }
        }
        if integral {
            let magnitude = self.text[int_start..int_end]
                .iter()
                .try_fold(0i64, |n, &d| n.checked_mul(10)?.checked_add(i64::from(d - b'0')))
                .filter(|&n| n <= MAX_SAFE_INTEGER);
            if let Some(n) = magnitude {
                return Ok(Number::Int(if negative { -n } else { n }));
            }
        }
        self.inexact_number(start, integral)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn inexact_number(&self, start: usize, integral: bool) -> Result<Number, Error> {
        if !self.doubles {
            return Err(self.error_at(inexact_kind(integral), start));
        }
        let text =
            core::str::from_utf8(&self.text[start..self.pos]).map_err(|_| self.error(ErrorKind::Syntax))?;
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Number::Float(x)),
            _ => Err(self.error_at(ErrorKind::NumberOutOfRange, start)),
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn inexact_number(&self, start: usize, integral: bool) -> Result<Number, Error> {
        Err(self.error_at(inexact_kind(integral), start))
    }
}

fn inexact_kind(integral: bool) -> ErrorKind {
    if integral {
        ErrorKind::NumberOutOfRange
    } else {
        ErrorKind::NonIntegerNumber
    }
}
