//! Reading JSON log lines the way a person would: time, level, message, then the key fields.
//!
//! The packs make the apps log one JSON object a line (nginx's JSON access log, .NET's JSON
//! console formatter), which the company's log platform parses. `paas logs` shows such a line
//! as `2026-12-03T11:40:00Z INFO  Now listening on: http://[::]:8080 category=Microsoft.Hosting.Lifetime`;
//! `--output json` keeps the line as the app wrote it. A line that is not a JSON object is
//! left alone ([`readable`] returns none). Nothing here prints.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The fields that hold the time, in the order they are looked for.
const TIME: [&str; 5] = ["time", "timestamp", "Timestamp", "@timestamp", "ts"];
/// The fields that hold the level.
const LEVEL: [&str; 5] = ["level", "LogLevel", "severity", "lvl", "@l"];
/// The fields that hold the message.
const MESSAGE: [&str; 4] = ["msg", "message", "Message", "@m"];
/// Fields never shown: .NET's structured copy of the message and its event id.
const HIDDEN: [&str; 2] = ["State", "EventId"];

/// Returns `line` as a person reads it when it is one JSON object, else none.
#[must_use]
pub fn readable(line: &str) -> Option<String> {
    let trimmed = line.trim();
    if !trimmed.starts_with('{') {
        return None;
    }
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(trimmed) else {
        return None;
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(time) = take(&mut fields, &TIME) {
        parts.push(scalar(&time));
    }
    if let Some(level) = take(&mut fields, &LEVEL) {
        parts.push(format!("{:<5}", short_level(&scalar(&level))));
    }
    if let Some(message) = take(&mut fields, &MESSAGE) {
        parts.push(scalar(&message));
    } else if let Some(request) = http_request(&mut fields) {
        parts.push(request);
    }
    for key in HIDDEN {
        fields.shift_remove(key);
    }
    for (key, value) in &fields {
        let (text, structured) = match value {
            Value::Null => continue,
            Value::String(s) if s.is_empty() || s == "-" => continue,
            Value::Object(_) | Value::Array(_) => (value.to_string(), true),
            other => (scalar(other), false),
        };
        let mut part = String::new();
        let _ = write!(part, "{}=", key.to_lowercase());
        if !structured && text.contains([' ', '"', '=']) {
            let _ = write!(part, "{}", Value::String(text));
        } else {
            part.push_str(&text);
        }
        parts.push(part);
    }
    Some(parts.join(" "))
}

/// Removes and returns the first of `keys` that `fields` has.
fn take(fields: &mut Map<String, Value>, keys: &[&str]) -> Option<Value> {
    keys.iter().find_map(|key| fields.shift_remove(*key))
}

/// The text of a scalar: strings without quotes.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Shortens the level names of .NET (`Information`, `Warning`, `Critical`) and others to the
/// usual upper-case five letters at most.
fn short_level(level: &str) -> String {
    match level.to_ascii_lowercase().as_str() {
        "information" | "info" => "INFO".to_owned(),
        "warning" | "warn" => "WARN".to_owned(),
        "error" | "err" => "ERROR".to_owned(),
        "critical" | "fatal" | "crit" => "FATAL".to_owned(),
        "debug" => "DEBUG".to_owned(),
        "trace" | "verbose" => "TRACE".to_owned(),
        other => other.to_ascii_uppercase(),
    }
}

/// An access-log line without a message (nginx's): `GET /path 200 612B 0.003s`, its fields
/// removed from `fields`.
fn http_request(fields: &mut Map<String, Value>) -> Option<String> {
    if !(fields.contains_key("method") && fields.contains_key("status")) {
        return None;
    }
    let mut request = String::new();
    for (key, suffix) in [
        ("method", ""),
        ("path", ""),
        ("status", ""),
        ("bytes", "B"),
        ("duration", "s"),
    ] {
        if let Some(value) = fields.shift_remove(key) {
            if !request.is_empty() {
                request.push(' ');
            }
            let _ = write!(request, "{}{suffix}", scalar(&value));
        }
    }
    fields.shift_remove("protocol");
    Some(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_access_lines_from_the_real_node() {
        let line = r#"{"time":"2026-12-03T12:46:28+00:00","remote_addr":"10.244.0.13","method":"GET","path":"/","protocol":"HTTP/1.1","status":200,"bytes":279,"duration":0.000,"referer":"","user_agent":"curl/7.88.1","forwarded_for":""}"#;
        assert_eq!(
            readable(line).as_deref(),
            Some(
                "2026-12-03T12:46:28+00:00 GET / 200 279B 0.0s remote_addr=10.244.0.13 user_agent=curl/7.88.1"
            )
        );
    }

    #[test]
    fn nginx_access_lines_read_as_requests() {
        let line = r#"{"time":"2026-12-03T11:40:00+00:00","remote_addr":"10.0.0.5","method":"GET","path":"/about?x=1","protocol":"HTTP/1.1","status":404,"bytes":153,"duration":0.001,"referer":"","user_agent":"curl/8.5.0","forwarded_for":""}"#;
        insta::assert_snapshot!(readable(line).expect("JSON"), @"2026-12-03T11:40:00+00:00 GET /about?x=1 404 153B 0.001s remote_addr=10.0.0.5 user_agent=curl/8.5.0");
    }

    #[test]
    fn dotnet_console_json_reads_as_level_and_message() {
        let line = r#"{"Timestamp":"2026-12-03T11:40:00.123Z","EventId":14,"LogLevel":"Information","Category":"Microsoft.Hosting.Lifetime","Message":"Now listening on: http://[::]:8080","State":{"Message":"Now listening on: http://[::]:8080","address":"http://[::]:8080","{OriginalFormat}":"Now listening on: {address}"}}"#;
        insta::assert_snapshot!(readable(line).expect("JSON"), @"2026-12-03T11:40:00.123Z INFO  Now listening on: http://[::]:8080 category=Microsoft.Hosting.Lifetime");
        let failed = r#"{"LogLevel":"Error","Category":"App","Message":"boom","Exception":"System.Exception: boom at Program.Main()"}"#;
        insta::assert_snapshot!(readable(failed).expect("JSON"), @r#"ERROR boom category=App exception="System.Exception: boom at Program.Main()""#);
    }

    #[test]
    fn the_exporters_json_and_other_lines() {
        let line = r#"{"time":"2026-12-03T11:40:00.5Z","level":"INFO","source":"exporter.go:123","msg":"Listening on","address":"[::]:9113","tls":false}"#;
        insta::assert_snapshot!(readable(line).expect("JSON"), @"2026-12-03T11:40:00.5Z INFO  Listening on source=exporter.go:123 address=[::]:9113 tls=false");
        assert_eq!(
            readable("10.0.0.5 - - [03/Dec/2026] \"GET / HTTP/1.1\" 200"),
            None
        );
        assert_eq!(readable("{not json"), None);
        assert_eq!(readable("[1, 2]"), None);
        assert_eq!(
            readable(r#"{"a":{"b":1}}"#).as_deref(),
            Some(r#"a={"b":1}"#)
        );
    }
}
