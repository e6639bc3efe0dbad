//! The reader's bounds and the field-list macro, mode by mode.

use super::*;

#[test]
fn reads_every_kind_of_value() {
    let v = Json::parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#).unwrap();
    assert_eq!(
        v.get("a"),
        Some(&Json::Arr(vec![
            Json::Num("1".into()),
            Json::Num("-2.5e3".into()),
            Json::Bool(true),
            Json::Bool(false),
            Json::Null
        ]))
    );
    assert_eq!(
        v.get("b").and_then(Json::as_str),
        Some("x\"\\/\u{8}\u{c}\n\r\té😀")
    );
    assert_eq!(v.get("c"), Some(&Json::Obj(vec![])));
    assert_eq!(Json::parse("\"ünï\"").unwrap(), Json::Str("ünï".into()));
}

#[test]
fn refuses_what_is_not_json_with_a_position() {
    for (text, truncated) in [
        ("", true),
        ("{", true),
        ("[1,", true),
        ("\"abc", true),
        ("{\"a\" 1}", false),
        ("[1 2]", false),
        ("tru", true),
        ("nul x", false),
        ("01x", false),
        ("-", true),
        ("1.", true),
        ("{\"a\":1,}", false),
        ("\"\\x\"", false),
        ("\"\\ud800\\u0041\"", false),
        ("\"tab\there\"", false),
        ("{} extra", false),
        ("<html>", false),
    ] {
        let err = Json::parse(text).unwrap_err();
        assert_eq!(
            err == ParseError::Truncated,
            truncated,
            "{text:?} gave {err:?}"
        );
    }
    assert_eq!(
        Json::parse("[1,\n  x]").unwrap_err(),
        ParseError::Syntax { line: 2, column: 3 }
    );
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert!(matches!(Json::parse(&deep), Err(ParseError::Shape { .. })));
}

#[test]
fn fields_and_numbers_keep_their_types() {
    let v = Json::parse(r#"{"n": 7, "big": 1e30, "neg": -1, "frac": 1.5, "s": null}"#).unwrap();
    assert_eq!(field::<Option<u64>>(&v, "n"), Ok(Some(7)));
    assert!(field::<u8>(&v, "big").is_err());
    assert!(field::<u16>(&v, "neg").is_err());
    assert!(field::<u64>(&v, "frac").is_err());
    assert_eq!(field::<Option<String>>(&v, "s"), Ok(None));
    assert_eq!(field::<Vec<String>>(&v, "missing"), Ok(vec![]));
    assert_eq!(required::<String>(&v, "s"), Err("missing field `s`".into()));
}

json_struct! {
    /// Every kind of field, a JSON name of its own and `null` read as the default.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct Sample where null = default {
        id: String = required,
        kind: Option<String> = optional "type",
        tags: Vec<u8> = optional,
        note: Option<String> = omitted_if_empty,
        flags: Vec<bool> = omitted_if_empty,
    }
}

json_struct! {
    /// A generic object, with no default for `null`.
    #[derive(Debug, PartialEq, Eq)]
    struct Page<T> {
        items: Vec<T> = required,
    }
}

fn sample(text: &str) -> Result<Sample, String> {
    Sample::from_json(&Json::parse(text).unwrap())
}

#[test]
fn declared_objects_read_by_their_field_list() {
    let full = Sample {
        id: "a".into(),
        kind: Some("b".into()),
        tags: vec![1, 2],
        note: Some("n".into()),
        flags: vec![true],
    };
    let text = r#"{"flags":[true],"id":"a","type":"b","tags":[1,2],"note":"n","x":0}"#;
    assert_eq!(sample(text), Ok(full));
    let bare = Sample {
        id: "a".into(),
        ..Sample::default()
    };
    assert_eq!(
        sample(r#"{"id":"a"}"#),
        Ok(Sample {
            id: "a".into(),
            ..Sample::default()
        })
    );
    let nulls = r#"{"id":"a","type":null,"tags":null,"note":null,"flags":null}"#;
    assert_eq!(
        sample(nulls),
        Ok(Sample {
            id: "a".into(),
            ..Sample::default()
        })
    );
    // The JSON name, not the field's.
    assert_eq!(sample(r#"{"id":"a","kind":"b"}"#), Ok(bare));
    assert_eq!(sample("null"), Ok(Sample::default()));

    assert_eq!(sample(r#"{"type":"b"}"#), Err("missing field `id`".into()));
    assert_eq!(sample(r#"{"id":null}"#), Err("missing field `id`".into()));
    assert_eq!(
        sample(r#"{"id":"a","tags":[1,300]}"#),
        Err("tags: [1]: expected a whole number (u8)".into())
    );
    // Fields are read in the list's order: the first wrong one is named.
    assert_eq!(
        sample(r#"{"tags":"x","type":1,"id":"a"}"#),
        Err("type: expected a string".into())
    );
    assert_eq!(sample("[]"), Err("expected an object".into()));

    let page = |text: &str| Page::<u8>::from_json(&Json::parse(text).unwrap());
    assert_eq!(page(r#"{"items":[7]}"#), Ok(Page { items: vec![7] }));
    assert_eq!(page("{}"), Err("missing field `items`".into()));
    assert_eq!(page("null"), Err("expected an object".into()));
}

#[test]
fn declared_objects_write_what_they_read() {
    let bare = Sample {
        id: "a".into(),
        ..Sample::default()
    };
    let text = serde_json::to_string(&bare).unwrap();
    assert_eq!(text, r#"{"id":"a","type":null,"tags":[]}"#);
    assert_eq!(sample(&text), Ok(bare));
    let full = Sample {
        id: "a".into(),
        kind: Some("b".into()),
        tags: vec![1],
        note: Some("n".into()),
        flags: vec![false],
    };
    let text = serde_json::to_string(&full).unwrap();
    assert_eq!(
        text,
        r#"{"id":"a","type":"b","tags":[1],"note":"n","flags":[false]}"#
    );
    assert_eq!(sample(&text), Ok(full));
    let page = Page::<u8> { items: vec![1, 2] };
    let text = serde_json::to_string(&page).unwrap();
    assert_eq!(text, r#"{"items":[1,2]}"#);
    assert_eq!(page.to_json(), text);
}

#[test]
fn the_apps_writer_writes_what_serde_writes() {
    let bare = Sample {
        id: "a\"b".into(),
        ..Sample::default()
    };
    assert_eq!(bare.to_json(), serde_json::to_string(&bare).unwrap());
    let full = Sample {
        id: "a".into(),
        kind: Some("é\n".into()),
        tags: vec![0, 255],
        note: Some(String::new()),
        flags: vec![true, false],
    };
    assert_eq!(full.to_json(), serde_json::to_string(&full).unwrap());
    let page = Page::<Sample> { items: vec![] };
    assert_eq!(page.to_json(), r#"{"items":[]}"#);
}

#[test]
fn writes_strings_that_read_back() {
    let text = "a\"b\\c\nd\u{1}é😀";
    let mut out = String::new();
    write_str(&mut out, text);
    assert_eq!(Json::parse(&out).unwrap(), Json::Str(text.into()));
}
