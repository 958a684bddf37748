//! Printing results: tables for people, JSON (`--json`) for scripts. Private keys are removed
//! from JSON output whatever the API sends back.

use crate::errors::CliError;
use comfy_table::{presets, Table};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// How a result type is shown as a table row and as a detail view.
pub trait View {
    /// Column headers of list tables.
    const HEADERS: &'static [&'static str];
    /// One row of a list table (as many cells as `HEADERS`).
    fn row(&self) -> Vec<String>;
    /// Every field worth showing, in order, for a detail view; empty values are left out.
    fn fields(&self) -> Vec<(&'static str, String)>;
}

/// Where results go, and in which form.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Output { json }
    }

    /// A list: a table (or `none_text` when empty), or a JSON array.
    pub fn list<T: View + Serialize>(&self, items: &[T], none_text: &str) -> Result<(), CliError> {
        if self.json {
            return self.json_value(items);
        }
        if items.is_empty() {
            return write_out(&format!("{none_text}\n"));
        }
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        table.set_header(T::HEADERS.iter().copied());
        for item in items {
            table.add_row(item.row());
        }
        // Columns two spaces apart, none before the first.
        table.column_iter_mut().for_each(|c| {
            c.set_padding((0, 2));
        });
        write_out(&format!("{}\n", table.trim_fmt()))
    }

    /// One item: `note` (if any) then a field/value table, or the item as a JSON object.
    pub fn one<T: View + Serialize>(&self, item: &T, note: Option<&str>) -> Result<(), CliError> {
        if self.json {
            return self.json_value(item);
        }
        let mut text = String::new();
        if let Some(note) = note {
            text.push_str(note);
            text.push('\n');
        }
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        for (name, value) in item.fields() {
            if !value.is_empty() {
                table.add_row(vec![format!("{name}:"), value]);
            }
        }
        // `name:` then the value, values aligned.
        table.column_iter_mut().for_each(|c| {
            c.set_padding((0, 1));
        });
        text.push_str(&table.trim_fmt());
        text.push('\n');
        write_out(&text)
    }

    /// A line for people, before a table; nothing with `--json`.
    pub fn note(&self, line: &str) -> Result<(), CliError> {
        if self.json {
            return Ok(());
        }
        write_out(&format!("{line}\n"))
    }

    /// A one-line result (a deletion), or the item as a JSON object.
    pub fn done<T: Serialize>(&self, item: &T, line: &str) -> Result<(), CliError> {
        if self.json {
            return self.json_value(item);
        }
        write_out(&format!("{line}\n"))
    }

    fn json_value<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let mut value = serde_json::to_value(value)
            .map_err(|e| CliError::Other(format!("cannot print the result as JSON: {e}")))?;
        strip_private_keys(&mut value);
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| CliError::Other(format!("cannot print the result as JSON: {e}")))?;
        write_out(&format!("{text}\n"))
    }
}

/// Removes every `private_key` member, at any depth.
pub fn strip_private_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("private_key");
            map.values_mut().for_each(strip_private_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_private_keys),
        _ => {}
    }
}

/// Writes to stdout. A closed pipe (`cfmtls … | head`) is not an error worth a message.
fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Other(format!("cannot write to stdout: {e}"))),
    }
}

/// A status line on stderr (human mode only: JSON output stays a single document on stdout).
pub fn warn(message: &str) {
    eprintln!("warning: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn private_keys_are_removed_at_any_depth() {
        let mut v =
            json!([{ "id": "a", "private_key": "secret", "nested": { "private_key": "s" } }]);
        strip_private_keys(&mut v);
        assert_eq!(v, json!([{ "id": "a", "nested": {} }]));
    }
}
