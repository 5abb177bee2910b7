//! One JSON Lines profile: the profile as for `lotse rank`, plus an optional `profile_id`.

use super::flat::{ID_ALLOWED, MAX_ID_BYTES, bad, id_too_long};
use scoring::{Profile, ProfileError};

/// Reads one JSON Lines profile: the profile as for `lotse rank`, plus an optional
/// `profile_id` (string or number) that is taken out before the profile is read.
pub fn parse_json_line(line: &str) -> (Option<serde_json::Value>, Result<Profile, ProfileError>) {
    // Fast path: no id in the line, the profile parser sees the line as it is.
    if !line.contains("\"profile_id\"") {
        return (None, from_json(line));
    }
    let mut map: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(line) {
        Ok(m) => m,
        // Not an object: let the profile parser say what is wrong, as it would for `rank`.
        Err(_) => return (None, from_json(line)),
    };
    let id = map.remove("profile_id");
    let problem = match &id {
        None => None,
        Some(serde_json::Value::String(s)) if s.len() > MAX_ID_BYTES => {
            return (None, Err(id_too_long(s.len())));
        }
        Some(serde_json::Value::String(_)) => None,
        // Whole numbers within i64/u64 are kept exactly; anything else was already rounded to
        // a float by the JSON reader (18446744073709551616 reads as 1.8446744073709552e19).
        Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => None,
        Some(serde_json::Value::Number(n)) => Some(format!(
            "the number {n} is not a whole number that can be kept exactly (give it as a string)"
        )),
        Some(v) => Some(format!("{v} is not a string or a number")),
    };
    if let Some(problem) = problem {
        return (None, Err(bad("profile_id", problem, ID_ALLOWED)));
    }
    let rest = serde_json::Value::Object(map).to_string();
    (id, from_json(&rest))
}

/// [`Profile::from_json`], with a line that is not JSON at all blamed on the line as a whole
/// (the path-tracking parser has no field to name then and says `?`).
fn from_json(text: &str) -> Result<Profile, ProfileError> {
    // Parsed only: `top_rows` plans the profile, and planning validates it (once).
    Profile::parse_json(text).map_err(|mut e| {
        if e.field == "?" {
            e.field = "(profile)".into();
            e.problem = format!("malformed JSON: {}", e.problem);
            e.allowed = "one JSON object per line".into();
        }
        e
    })
}

/// Text form of a JSON `profile_id` (strings without quotes).
pub fn id_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
