//! Parsing a command from the text a user types in Discord:
//! `/breach summary salt typhoon`, `/breach search wiretap page:2`.
//!
//! After the command's path, `name:value` (or `name:"a value"`) sets a named
//! option of that command; an unquoted text value goes on to the next
//! `name:` (`incident:salt typhoon`, `query:microsoft OR china`, as Discord's
//! own option boxes would take them). All other text is the command's first
//! text option.

use super::{COMMANDS, Invocation, OptionKind, OptionValue, unknown_command};
use crate::error::UserError;

/// Parse typed text into an invocation (options are checked by [`super::run`]).
pub fn parse_typed(text: &str) -> Result<Invocation, UserError> {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('/') else {
        return Err(UserError::bad_request("Commands start with `/`, for example `/breach summary salt typhoon`."));
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    // The longest command path that the typed words start with.
    let spec = COMMANDS
        .iter()
        .filter(|c| c.path.len() <= words.len() && c.path.iter().zip(&words).all(|(p, w)| w.eq_ignore_ascii_case(p)))
        .max_by_key(|c| c.path.len())
        .ok_or_else(|| unknown_command(&words.iter().take(2).copied().collect::<Vec<_>>().join(" ")))?;

    // The text after the path, with its original spacing.
    let mut after = rest.trim_start();
    for _ in spec.path {
        after = after.trim_start();
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        after = &after[end..];
    }

    let mut inv = Invocation { path: spec.path.iter().map(|s| s.to_string()).collect(), ..Invocation::default() };
    let mut free = Vec::new();
    // The text option whose unquoted value is still being typed.
    let mut open: Option<&str> = None;
    for token in tokens(after.trim()) {
        let named = token.split_once(':').and_then(|(name, value)| {
            spec.options.iter().find(|o| o.name.eq_ignore_ascii_case(name)).map(|o| (o, value))
        });
        match named {
            Some((opt, value)) => {
                let quoted = value.starts_with('"');
                let value = unquote(value);
                open = (opt.kind == OptionKind::String && !quoted).then_some(opt.name);
                let v = match opt.kind {
                    OptionKind::String | OptionKind::Choice(_) | OptionKind::Attachment => {
                        OptionValue::String(value.to_string())
                    }
                    OptionKind::Integer { .. } => OptionValue::Integer(value.parse().map_err(|_| {
                        UserError::bad_request(format!("`{}` must be a whole number, not `{value}`.", opt.name))
                    })?),
                };
                inv.options.insert(opt.name.to_string(), v);
            }
            None => match open.and_then(|name| inv.options.get_mut(name)) {
                Some(OptionValue::String(v)) => {
                    v.push(' ');
                    v.push_str(&token);
                }
                _ => free.push(token),
            },
        }
    }
    let free = free.join(" ");
    if !free.is_empty() {
        let Some(first) =
            spec.options.iter().find(|o| o.kind == OptionKind::String && !inv.options.contains_key(o.name))
        else {
            return Err(UserError::bad_request(format!("{} takes no text, but was given `{free}`.", spec.display())));
        };
        inv.options.insert(first.name.to_string(), OptionValue::String(free));
    }
    Ok(inv)
}

/// Split on white space, keeping `"quoted phrases"` (and `name:"a b"`) whole.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v)
}
