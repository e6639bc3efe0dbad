//! A small JSON reader and writer for the API's shapes.
//!
//! The app reads a handful of object shapes and writes two. A general serialization
//! framework cost about a sixth of the gzipped wasm; this reads any JSON into a [`Json`] tree
//! (bounded depth, every escape, never panicking) and each type picks its fields from it.

use super::api::ParseError;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number, as written (whole numbers are read from it as needed).
    Num(String),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, in document order.
    Obj(Vec<(String, Json)>),
}

/// How deep arrays and objects may nest.
const MAX_DEPTH: usize = 64;

impl Json {
    /// Reads a whole document.
    pub fn parse(text: &str) -> Result<Json, ParseError> {
        let mut r = Reader {
            bytes: text.as_bytes(),
            pos: 0,
        };
        r.skip_space();
        let value = r.value(0)?;
        r.skip_space();
        if r.pos < r.bytes.len() {
            return Err(r.syntax());
        }
        Ok(value)
    }

    /// A field of an object (`None` for other values or a missing field).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn syntax(&self) -> ParseError {
        if self.pos >= self.bytes.len() {
            return ParseError::Truncated;
        }
        let before = &self.bytes[..self.pos];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = self.pos
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        ParseError::Syntax { line, column }
    }

    fn skip_space(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &[u8]) -> Result<(), ParseError> {
        for &b in literal {
            if self.bytes.get(self.pos) != Some(&b) {
                return Err(self.syntax());
            }
            self.pos += 1;
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::Shape {
                message: "nested too deeply".into(),
            });
        }
        match self.bytes.get(self.pos) {
            None => Err(ParseError::Truncated),
            Some(b'n') => self.eat(b"null").map(|_| Json::Null),
            Some(b't') => self.eat(b"true").map(|_| Json::Bool(true)),
            Some(b'f') => self.eat(b"false").map(|_| Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    self.skip_space();
                    items.push(self.value(depth + 1)?);
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(self.syntax()),
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut fields = Vec::new();
                self.skip_space();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Json::Obj(fields));
                }
                loop {
                    self.skip_space();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.syntax());
                    }
                    let key = self.string()?;
                    self.skip_space();
                    self.eat(b":")?;
                    self.skip_space();
                    let value = self.value(depth + 1)?;
                    fields.push((key, value));
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Json::Obj(fields));
                        }
                        _ => return Err(self.syntax()),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.syntax()),
        }
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while matches!(r.bytes.get(r.pos), Some(b'0'..=b'9')) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if !digits(self) {
            return Err(self.syntax());
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.syntax());
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.syntax());
            }
        }
        // Only ASCII digits, signs, dots and exponents were consumed: valid UTF-8.
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).map_err(|_| self.syntax())?;
        Ok(Json::Num(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.bytes.get(self.pos) {
                Some(&b) => (b as char).to_digit(16).ok_or_else(|| self.syntax())?,
                None => return Err(ParseError::Truncated),
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Runs stop only at ASCII bytes, so they end on character boundaries.
            out.push_str(
                std::str::from_utf8(&self.bytes[run_start..self.pos]).map_err(|_| self.syntax())?,
            );
            match self.bytes.get(self.pos) {
                None => return Err(ParseError::Truncated),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = *self.bytes.get(self.pos).ok_or(ParseError::Truncated)?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                self.eat(b"\\u")?;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.syntax());
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            out.push(char::from_u32(code).ok_or_else(|| self.syntax())?);
                        }
                        _ => return Err(self.syntax()),
                    }
                }
                Some(_) => return Err(self.syntax()),
            }
        }
    }
}

/// A type read from a [`Json`] value.
pub trait FromJson: Sized {
    /// Reads the value; the error says which field had the wrong shape.
    fn from_json(value: &Json) -> Result<Self, String>;
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "expected a string".to_owned())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Bool(b) => Ok(*b),
            _ => Err("expected true or false".to_owned()),
        }
    }
}

/// Whole numbers that fit the target type.
macro_rules! whole_number {
    ($($t:ty),+) => {$(
        impl FromJson for $t {
            fn from_json(value: &Json) -> Result<Self, String> {
                match value {
                    Json::Num(text) => text.parse::<$t>().map_err(|_| {
                        concat!("expected a whole number (", stringify!($t), ")").to_owned()
                    }),
                    _ => Err(concat!("expected a whole number (", stringify!($t), ")").to_owned()),
                }
            }
        }
    )+};
}
whole_number!(u8, u16, u64);

/// `null` and a missing field are both `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
}

/// `null` is an empty list.
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Null => Ok(Vec::new()),
            Json::Arr(items) => {
                // A plain loop: `collect` into a `Result` costs an iterator adapter per item
                // type in the wasm.
                let mut list = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    list.push(T::from_json(v).map_err(|e| at_index(i, e))?);
                }
                Ok(list)
            }
            _ => Err("expected a list".to_owned()),
        }
    }
}

/// Where in a list a reading error is (one copy, not one per item type).
fn at_index(i: usize, error: String) -> String {
    format!("[{i}]: {error}")
}

/// Reads an object's field: missing or `null` reads as the type's "nothing" (`None`, an
/// empty list); a required field uses [`required`] instead.
pub fn field<T: FromJson>(object: &Json, key: &str) -> Result<T, String> {
    let value = object.get(key).unwrap_or(&Json::Null);
    T::from_json(value).map_err(|e| in_field(key, e))
}

/// A required field that is not there (one copy, not one per field type).
#[inline(never)]
fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

/// Which field a reading error is in (one copy, not one per field type).
#[inline(never)]
fn in_field(key: &str, error: String) -> String {
    format!("{key}: {error}")
}

/// Reads a field that must be present and not `null`.
pub fn required<T: FromJson>(object: &Json, key: &str) -> Result<T, String> {
    match object.get(key) {
        None | Some(Json::Null) => Err(missing(key)),
        Some(v) => T::from_json(v).map_err(|e| in_field(key, e)),
    }
}

/// Checks that a value is an object.
pub fn object(value: &Json) -> Result<&Json, String> {
    match value {
        Json::Obj(_) => Ok(value),
        _ => Err("expected an object".to_owned()),
    }
}

/// Declares an API object from one list of its fields: the struct, its [`FromJson`] reader
/// and, with the `server` feature (and in tests), its `serde::Serialize`, for the server
/// that writes these types (`api::to_json`).
///
/// ```text
/// json_struct! {
///     /// A customer of the bank.
///     #[derive(Clone, Debug, PartialEq, Eq)]
///     pub struct Customer {
///         /// The customer's identifier.
///         pub guid: String = required,
///         /// Individual or business.
///         pub kind: Option<CustomerType> = optional "type",
///     }
/// }
/// ```
///
/// Each field is `name: Type = how`, then its JSON name when that is not the field's own.
/// `how` is one of:
/// - `required`: must be there and not `null` ([`required`]);
/// - `optional`: missing or `null` reads as the type's nothing (`None`, an empty list;
///   [`field`]), and is written all the same (`null`, `[]`);
/// - `omitted_if_empty`: read as `optional`, but left out of the JSON when `None` or empty,
///   never written as `null` (what the API asks of request bodies).
///
/// `where null = default` after the struct's name reads a `null` as the type's `Default`
/// (a part of the session the server may leave out).
///
/// Why a macro in the wasm: every field's JSON name and rule are written once, where the
/// struct, its serde attributes, a hand-written reader and, for the two request bodies, a
/// hand-written writer each named them before (about 230 lines of readers and writers by
/// hand). It costs the customer nothing: the reader it writes is the code that was written
/// by hand (an object check, then one [`required`] or [`field`] call per field, in the
/// struct's order), and the writer ([`ToJson`]) is what the wasm calls for its request
/// bodies. Measured on the release build's first load (gzip): 122,495 B before, 122,474 B
/// with the readers generated, 122,494 B with the writers generated too.
macro_rules! json_struct {
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $json:literal) => { $json };
    (@read required $v:ident $key:expr) => { $crate::core::json::required($v, $key) };
    (@read optional $v:ident $key:expr) => { $crate::core::json::field($v, $key) };
    (@read omitted_if_empty $v:ident $key:expr) => { $crate::core::json::field($v, $key) };
    (@left_out omitted_if_empty $value:expr) => { $crate::core::json::Empty::is_empty($value) };
    (@left_out required $value:expr) => { false };
    (@left_out optional $value:expr) => { false };
    (@null default $v:ident) => {
        if matches!($v, $crate::core::json::Json::Null) {
            return Ok(Self::default());
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $(<$T:ident>)? $(where null = $null:ident)? {
            $(
                $(#[$fmeta:meta])*
                $fvis:vis $field:ident : $ty:ty = $how:ident $($json:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name $(<$T>)? {
            $( $(#[$fmeta])* $fvis $field: $ty, )*
        }

        impl $(<$T: $crate::core::json::FromJson>)? $crate::core::json::FromJson for $name $(<$T>)? {
            fn from_json(v: &$crate::core::json::Json) -> Result<Self, String> {
                $( $crate::core::json::json_struct!(@null $null v); )?
                let v = $crate::core::json::object(v)?;
                Ok($name {
                    $(
                        $field: $crate::core::json::json_struct!(
                            @read $how v $crate::core::json::json_struct!(@key $field $($json)?)
                        )?,
                    )*
                })
            }
        }

        impl $(<$T: $crate::core::json::ToJson>)? $crate::core::json::ToJson for $name $(<$T>)? {
            fn write_json(&self, out: &mut String) {
                let mut sep = '{';
                $(
                    if !$crate::core::json::json_struct!(@left_out $how &self.$field) {
                        out.push(sep);
                        sep = ',';
                        out.push_str(concat!(
                            "\"",
                            $crate::core::json::json_struct!(@key $field $($json)?),
                            "\":"
                        ));
                        $crate::core::json::ToJson::write_json(&self.$field, out);
                    }
                )*
                if sep == '{' {
                    out.push(sep);
                }
                out.push('}');
            }
        }

        #[cfg(any(test, feature = "server"))]
        impl $(<$T: serde::Serialize>)? serde::Serialize for $name $(<$T>)? {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let fields = [$(stringify!($field)),*].len();
                let mut out = s.serialize_struct(stringify!($name), fields)?;
                $(
                    let key = $crate::core::json::json_struct!(@key $field $($json)?);
                    if $crate::core::json::json_struct!(@left_out $how &self.$field) {
                        out.skip_field(key)?;
                    } else {
                        out.serialize_field(key, &self.$field)?;
                    }
                )*
                out.end()
            }
        }
    };
}
pub(crate) use json_struct;

/// A type written as JSON: the app's request bodies ([`json_struct!`] writes every declared
/// object's, as its `Serialize` does for the server).
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);

    /// The value as a JSON document.
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Whole numbers, as digits.
macro_rules! whole_number_to_json {
    ($($t:ty),+) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )+};
}
whole_number_to_json!(u8, u16, u64);

/// `None` is `null`.
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            None => out.push_str("null"),
            Some(value) => value.write_json(out),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

/// What `omitted_if_empty` fields leave out of the JSON ([`json_struct!`]).
pub trait Empty {
    /// `None`, or an empty list.
    fn is_empty(&self) -> bool;
}

impl<T> Empty for Option<T> {
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}

impl<T> Empty for Vec<T> {
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

/// Writes a JSON string literal.
pub fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests;
