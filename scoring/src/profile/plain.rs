//! serde's messages in words a person understands: "invalid type: string "", expected u32 at
//! line 1 column 12" becomes "expected a whole number, got an empty text". The field is named by
//! the error's path; line and column say nothing to someone who filled in a form.

/// `message` (from serde_json) without parser terms and positions; unknown shapes are kept,
/// only the position is dropped.
pub(crate) fn plain(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(at) => &message[..at],
        None => message,
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((got, expected)) = rest.rsplit_once(", expected ")
        {
            return format!(
                "expected {}, got {}",
                expected_words(expected),
                got_words(got)
            );
        }
    }
    message.to_string()
}

fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text".into(),
        "a sequence" => "a list".into(),
        e if e.starts_with("struct ") || e == "a map" => "an object ({…})".into(),
        e => e.to_string(),
    }
}

fn got_words(got: &str) -> String {
    if got == "string \"\"" {
        return "an empty text".into();
    }
    if let Some(s) = got.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for kind in ["floating point ", "integer "] {
        if let Some(n) = got.strip_prefix(kind) {
            return n.trim_matches('`').to_string();
        }
    }
    match got {
        "boolean `true`" => "true".into(),
        "boolean `false`" => "false".into(),
        "null" => "nothing (null)".into(),
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        g => g.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn parser_messages_become_words() {
        for (raw, words) in [
            (
                "invalid type: string \"\", expected u32 at line 1 column 12",
                "expected a whole number of 0 or more, got an empty text",
            ),
            (
                "invalid type: floating point `1.5`, expected u32 at line 1 column 30",
                "expected a whole number of 0 or more, got 1.5",
            ),
            (
                "invalid type: string \"ja\", expected a boolean at line 1 column 25",
                "expected true or false, got the text \"ja\"",
            ),
            (
                "invalid value: integer `-1`, expected u32 at line 1 column 13",
                "expected a whole number of 0 or more, got -1",
            ),
            (
                "invalid type: null, expected f64",
                "expected a number, got nothing (null)",
            ),
            (
                "unknown variant `big`, expected one of `village`, `city`",
                "unknown variant `big`, expected one of `village`, `city`",
            ),
        ] {
            assert_eq!(plain(raw), words, "{raw}");
            assert!(!plain(raw).contains(" at line "));
        }
    }
}
