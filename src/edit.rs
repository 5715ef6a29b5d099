//! Edits to a researcher's data files made in their text, never by writing the parsed
//! YAML back: a new field goes in beside one that is there, at its indentation (or,
//! in a flow mapping, after it with a comma), and every other byte, comments, quoting,
//! blank lines and line endings included, stays as it was. `links --fix` adds the
//! captures it found this way; imports will update records the same way.
//!
//! An edit is placed from the position the parser gave the neighbouring value, and is
//! refused, never guessed, when the text there is not what was parsed (the file
//! changed since) or the value is laid out in a way the edit cannot follow.

use crate::diagnostics::Pos;

/// Text to put into a file at a byte offset, in place of the `remove` bytes there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub offset: usize,
    pub remove: usize,
    pub text: String,
}

/// A new field for a mapping: its name and its value.
pub struct NewField<'a> {
    pub name: &'a str,
    pub value: NewValue<'a>,
}

/// A new field's value: one scalar, or a list of small mappings
/// (`archives: [{url: …, captured: …}]`).
pub enum NewValue<'a> {
    Scalar(&'a str),
    List(&'a [Vec<(&'a str, String)>]),
}

/// The place of a scalar value in a file's text, checked against what was parsed.
struct Span<'t> {
    line: &'t str,
    line_start: usize,
    start: usize,
    end: usize,
}

fn span<'t>(text: &'t str, value: Pos, expected: &str) -> Result<Span<'t>, String> {
    let line_start = line_offset(text, value.line)
        .ok_or_else(|| format!("line {} is not in the file any more", value.line))?;
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let start = char_offset(line, value.column.saturating_sub(1) as usize)
        .ok_or_else(|| "the value is not where it was read".to_owned())?;
    let end = char_offset(&text[line_start + start..], value.len as usize)
        .map(|n| line_start + start + n)
        .ok_or_else(|| "the value is not where it was read".to_owned())?;
    let written = &text[line_start + start..end];
    if unquoted(written) != expected {
        return Err(format!(
            "the file changed since it was read: `{}` is not at line {}, column {}",
            crate::text::shown(expected),
            value.line,
            value.column
        ));
    }
    Ok(Span {
        line,
        line_start,
        start,
        end,
    })
}

/// Replaces the scalar `value` (as parsed: `expected`) with `new`, written plain where
/// YAML reads it back the same, else quoted. A value written over several lines is
/// refused.
pub fn replace_value(
    text: &str,
    value: Pos,
    expected: &str,
    new: &str,
) -> Result<Insertion, String> {
    let span = span(text, value, expected)?;
    if text[span.line_start + span.start..span.end].contains('\n') {
        return Err("the value is written over several lines".to_owned());
    }
    let flow = span.line[..span.start].contains(['{', '[']);
    Ok(Insertion {
        offset: span.line_start + span.start,
        remove: span.end - span.line_start - span.start,
        text: scalar(new, flow),
    })
}

/// Where, in `text`, to add `field` to the mapping that holds the scalar `value`
/// (the position the parser gave it; `expected` is its text as parsed), so that the
/// field follows the key of that value.
pub fn add_after(
    text: &str,
    value: Pos,
    expected: &str,
    field: &NewField<'_>,
) -> Result<Insertion, String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let Span {
        line,
        start,
        end: span_end,
        ..
    } = span(text, value, expected)?;
    // The key before the value, on the same line: `url: …`, `- url: …`, `{…, url: …`.
    let before = line[..start].trim_end();
    let before = before
        .strip_suffix(':')
        .ok_or_else(|| "the value is not on the line of its key".to_owned())?
        .trim_end();
    let key_len = before
        .chars()
        .rev()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '{' | ',' | '-'))
        .map(char::len_utf8)
        .sum::<usize>();
    if key_len == 0 {
        return Err("the value's key is not on its line".to_owned());
    }
    let key_start = before.len() - key_len;
    let opener = before[..key_start].trim_end().chars().last();
    match opener {
        Some('{' | ',') => {
            // A flow mapping: `, name: …` right after the value.
            let value = match &field.value {
                NewValue::Scalar(v) => scalar(v, true),
                NewValue::List(items) => {
                    let items: Vec<String> = items
                        .iter()
                        .map(|item| {
                            let pairs: Vec<String> = item
                                .iter()
                                .map(|(k, v)| format!("{k}: {}", scalar(v, true)))
                                .collect();
                            format!("{{{}}}", pairs.join(", "))
                        })
                        .collect();
                    format!("[{}]", items.join(", "))
                }
            };
            Ok(Insertion {
                offset: span_end,
                remove: 0,
                text: format!(", {}: {value}", field.name),
            })
        }
        None | Some('-') => {
            // A block mapping: the field on the lines after the value's, at its key's
            // indentation (a `- ` before the key counts as indentation).
            let indent = " ".repeat(line[..key_start].chars().count());
            let end_line = text[span_end..]
                .find('\n')
                .map_or(text.len(), |n| span_end + n + 1);
            let mut out = String::new();
            if end_line == text.len() && !text.ends_with('\n') {
                out.push_str(newline);
            }
            match &field.value {
                NewValue::Scalar(v) => {
                    out.push_str(&format!(
                        "{indent}{}: {}{newline}",
                        field.name,
                        scalar(v, false)
                    ));
                }
                NewValue::List(items) => {
                    out.push_str(&format!("{indent}{}:{newline}", field.name));
                    for item in *items {
                        for (i, (k, v)) in item.iter().enumerate() {
                            let lead = if i == 0 { "  - " } else { "    " };
                            out.push_str(&format!(
                                "{indent}{lead}{k}: {}{newline}",
                                scalar(v, false)
                            ));
                        }
                    }
                }
            }
            Ok(Insertion {
                offset: end_line,
                remove: 0,
                text: out,
            })
        }
        Some(_) => Err("the value's key is laid out in a way this edit cannot follow".to_owned()),
    }
}

/// Applies edits to `text` (any order; none may overlap another).
pub fn apply(text: &str, insertions: &[Insertion]) -> String {
    let mut sorted: Vec<&Insertion> = insertions.iter().collect();
    sorted.sort_by_key(|i| i.offset);
    let mut out =
        String::with_capacity(text.len() + sorted.iter().map(|i| i.text.len()).sum::<usize>());
    let mut at = 0;
    for insertion in sorted {
        let offset = insertion.offset.clamp(at, text.len());
        out.push_str(&text[at..offset]);
        out.push_str(&insertion.text);
        at = (offset + insertion.remove).min(text.len());
    }
    out.push_str(&text[at..]);
    out
}

/// A unified diff of edits to `text` (the file `name`, or a new file when `text` is
/// empty and `new_file`), for `--dry-run`: each edit its own hunk, with up to three
/// lines around it.
pub fn diff(name: &str, text: &str, insertions: &[Insertion]) -> String {
    let mut sorted: Vec<&Insertion> = insertions.iter().collect();
    sorted.sort_by_key(|i| i.offset);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count();
    let mut shift: isize = 0;
    for edit in sorted {
        let offset = edit.offset.min(text.len());
        let end = (offset + edit.remove).min(text.len());
        // The old lines the edit touches: none for text put in at the start of a line.
        let at_line_start = edit.remove == 0
            && (offset == 0 || text[..offset].ends_with('\n'))
            && (edit.text.ends_with('\n') || offset == text.len());
        let first = line_of(offset);
        let (old_lines, new_chunk) = if at_line_start {
            (first..first, edit.text.clone())
        } else {
            let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
            (
                first..line_of(end) + 1,
                format!(
                    "{}{}{}",
                    &text[line_start..offset],
                    edit.text,
                    &text[end..line_end]
                ),
            )
        };
        let new_lines: Vec<&str> = new_chunk.split_inclusive('\n').collect();
        let before = old_lines.start.saturating_sub(3)..old_lines.start;
        let after = old_lines.end.min(lines.len())..(old_lines.end + 3).min(lines.len());
        let old_count = before.len() + old_lines.len() + after.len();
        let new_count = before.len() + new_lines.len() + after.len();
        let old_start = before.start + 1;
        let new_start = (old_start as isize + shift).max(1);
        out.push_str(&format!(
            "@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"
        ));
        for l in &lines[before] {
            out.push_str(&format!(" {}", with_newline(l)));
        }
        for l in &lines[old_lines.start.min(lines.len())..old_lines.end.min(lines.len())] {
            out.push_str(&format!("-{}", with_newline(l)));
        }
        for l in &new_lines {
            out.push_str(&format!("+{}", with_newline(l)));
        }
        for l in &lines[after] {
            out.push_str(&format!(" {}", with_newline(l)));
        }
        shift += new_lines.len() as isize - old_lines.len() as isize;
    }
    crate::text::inert(&out).into_owned()
}

/// The text of the repository's file `rel`, through the bounded reader, when it is
/// UTF-8: what an edit is made to.
pub fn read_text(root: &crate::access::Root, rel: &str, max_bytes: u64) -> Result<String, String> {
    let bytes = root
        .read(std::path::Path::new(rel), max_bytes)
        .map_err(|r| format!("{rel} {}", r.reason()))?;
    String::from_utf8(bytes).map_err(|_| format!("{rel} is not UTF-8"))
}

/// One file's change: its path relative to the root, its text before (`None` for a
/// new file) and after.
pub struct Change {
    pub name: String,
    pub before: Option<String>,
    pub after: String,
}

/// Writes the changes, each file whole (a temporary file beside it, with the
/// original's permissions, renamed over it), then checks the case at `dir` again: if it
/// has more errors than `errors_before`, every file is put back as it was (a new one
/// removed) and the answer is an error naming them. Nothing is left half-written.
pub fn write_checked(
    root: &crate::access::Root,
    dir: &std::path::Path,
    changes: &[Change],
    errors_before: usize,
) -> anyhow::Result<()> {
    let mut written: Vec<&Change> = Vec::new();
    for change in changes {
        if let Err(err) = replace(root, &change.name, &change.after, change.before.is_none()) {
            restore(root, &written);
            return Err(err);
        }
        written.push(change);
    }
    let checked = crate::check(dir)?;
    if checked.errors() > errors_before {
        let found =
            crate::diagnostics::render_human(&checked.error_diagnostics(), &checked.repo.texts);
        restore(root, &written);
        anyhow::bail!(
            "the edits would give the case {} error(s), so every file was put back as it was:\n{found}",
            checked.errors() - errors_before
        );
    }
    Ok(())
}

/// Puts files back as they were read (a new one removed).
fn restore(root: &crate::access::Root, written: &[&Change]) {
    for change in written {
        match &change.before {
            Some(text) => {
                let _ = replace(root, &change.name, text, false);
            }
            None => {
                if let Ok(path) = root.resolve(std::path::Path::new(&change.name)) {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
    }
}

/// Replaces the file `name` of the repository with `text` (or makes it, `new`): a
/// temporary file beside it, given the file's permissions, renamed over it.
fn replace(root: &crate::access::Root, name: &str, text: &str, new: bool) -> anyhow::Result<()> {
    use anyhow::Context;
    let rel = std::path::Path::new(name);
    let folder_rel = rel.parent().unwrap_or(std::path::Path::new(""));
    let file_name = rel
        .file_name()
        .with_context(|| format!("{name} names no file"))?;
    if new {
        // Folders made inside the repository only, each checked as it is made.
        let mut made = std::path::PathBuf::new();
        for part in folder_rel.components() {
            made.push(part);
            if root.folder(&made).is_err() {
                let parent = root
                    .folder(made.parent().unwrap_or(std::path::Path::new("")))
                    .map_err(|r| anyhow::anyhow!("{}: {}", made.display(), r.reason()))?;
                let dir = parent.join(part);
                std::fs::create_dir(&dir)
                    .with_context(|| format!("cannot make {}", dir.display()))?;
            }
        }
    }
    let folder = root
        .folder(folder_rel)
        .map_err(|r| anyhow::anyhow!("{name}: {}", r.reason()))?;
    let path = folder.join(file_name);
    let permissions = match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        Ok(_) => anyhow::bail!("{name} is not a regular file"),
        Err(_) if new => None,
        Err(err) => return Err(err).with_context(|| format!("cannot read {name}")),
    };
    if new && permissions.is_some() {
        anyhow::bail!("{name} already exists");
    }
    let mut temp = tempfile::NamedTempFile::new_in(&folder)
        .with_context(|| format!("cannot write beside {name}"))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .with_context(|| format!("cannot write {name}"))?;
    if let Some(permissions) = permissions {
        temp.as_file()
            .set_permissions(permissions)
            .with_context(|| format!("cannot write {name}"))?;
    } else {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    temp.persist(&path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot replace {name}"))?;
    Ok(())
}

fn with_newline(line: &str) -> String {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    format!("{line}\n")
}

/// The byte offset where line `line` (from 1) starts.
pub fn line_start(text: &str, line: u32) -> Option<usize> {
    line_offset(text, line)
}

/// The byte offset of line `line` (from 1).
fn line_offset(text: &str, line: u32) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut offset = 0;
    for _ in 1..line {
        offset += text[offset..].find('\n')? + 1;
    }
    Some(offset)
}

/// The byte offset of the `n`th character of `s` (its length for `n` = the count).
fn char_offset(s: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    s.char_indices().map(|(i, c)| i + c.len_utf8()).nth(n - 1)
}

/// What YAML reads a scalar written as `written` (on one line) as: plain, single- or
/// double-quoted, escapes and all.
fn unquoted(written: &str) -> String {
    let written = written.trim_end();
    let read = crate::yaml::parse(&format!("k: {written}\n"))
        .ok()
        .flatten();
    match read.map(|n| n.value) {
        Some(crate::yaml::Value::Map(entries)) => match entries.into_iter().next() {
            Some((_, node)) => match node.value {
                crate::yaml::Value::Str(s) => s,
                crate::yaml::Value::Number(n) => n.text,
                crate::yaml::Value::Bool(b) => b.to_string(),
                _ => written.to_owned(),
            },
            None => written.to_owned(),
        },
        _ => written.to_owned(),
    }
}

/// A value written plain where YAML reads it back as the same string, else quoted.
pub fn scalar(value: &str, flow: bool) -> String {
    let plain = !value.is_empty()
        && value.trim() == value
        && value
            .chars()
            .all(|c| !c.is_control() && !crate::text::is_disguising(c) && !matches!(c, '"' | '\\'))
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains('\t')
        && !value.ends_with(':')
        && (!flow || !value.contains([',', '[', ']', '{', '}']))
        && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && value.parse::<f64>().is_err()
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | ".inf" | ".nan"
        );
    if plain {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

/// A YAML double-quoted scalar: `"` and `\\` escaped, and every control or
/// disguising character written as a `\\u` escape, so the file shows what it holds.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || crate::text::is_disguising(c) => {
                let n = c as u32;
                if n > 0xffff {
                    out.push_str(&format!("\\U{n:08X}"));
                } else {
                    out.push_str(&format!("\\u{n:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archives(url: &str) -> Vec<Vec<(&'static str, String)>> {
        vec![vec![
            ("url", url.to_owned()),
            ("captured", "2019-04-10".to_owned()),
        ]]
    }

    fn add(text: &str, line: u32, column: u32, value: &str) -> Result<String, String> {
        let items = archives("https://web.archive.org/web/2019/https://e.org/a");
        let field = NewField {
            name: "archives",
            value: NewValue::List(&items),
        };
        let len = u32::try_from(value.chars().count()).unwrap_or(0);
        add_after(
            text,
            Pos::new(line, column, len),
            &unquote_for_test(value),
            &field,
        )
        .map(|i| apply(text, &[i]))
    }

    fn unquote_for_test(value: &str) -> String {
        unquoted(value)
    }

    #[test]
    fn a_block_mapping_gets_the_field_at_its_keys_indentation() {
        let text = "sources:\n  - id: a\n    url: https://e.org/a   # the page\n    title: A\n";
        assert_eq!(
            add(text, 3, 10, "https://e.org/a").as_deref(),
            Ok(
                "sources:\n  - id: a\n    url: https://e.org/a   # the page\n    archives:\n      - url: https://web.archive.org/web/2019/https://e.org/a\n        captured: 2019-04-10\n    title: A\n"
            )
        );
        // The key right after the dash, and a quoted value.
        let text = "sources:\n  - url: \"https://e.org/a\"\n    id: a\n";
        assert_eq!(
            add(text, 2, 10, "\"https://e.org/a\"").as_deref(),
            Ok(
                "sources:\n  - url: \"https://e.org/a\"\n    archives:\n      - url: https://web.archive.org/web/2019/https://e.org/a\n        captured: 2019-04-10\n    id: a\n"
            )
        );
    }

    #[test]
    fn crlf_files_stay_crlf_and_a_last_line_without_newline_gets_one() {
        let text = "sources:\r\n  - id: a\r\n    url: https://e.org/a";
        let out = add(text, 3, 10, "https://e.org/a").unwrap_or_default();
        assert_eq!(
            out,
            "sources:\r\n  - id: a\r\n    url: https://e.org/a\r\n    archives:\r\n      - url: https://web.archive.org/web/2019/https://e.org/a\r\n        captured: 2019-04-10\r\n"
        );
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn a_flow_mapping_gets_the_field_after_the_value() {
        let text = "sources:\n  - {id: a, url: https://e.org/a, title: A}\n";
        assert_eq!(
            add(text, 2, 18, "https://e.org/a").as_deref(),
            Ok(
                "sources:\n  - {id: a, url: https://e.org/a, archives: [{url: https://web.archive.org/web/2019/https://e.org/a, captured: 2019-04-10}], title: A}\n"
            )
        );
    }

    #[test]
    fn a_changed_file_or_an_odd_layout_is_refused() {
        let text = "sources:\n  - id: a\n    url: https://e.org/b\n";
        assert!(add(text, 3, 10, "https://e.org/a").is_err());
        assert!(add(text, 9, 10, "https://e.org/a").is_err());
        let text = "sources:\n  - id: a\n    url:\n      https://e.org/a\n";
        assert!(add(text, 4, 7, "https://e.org/a").is_err());
    }

    #[test]
    fn values_are_quoted_when_yaml_would_read_them_otherwise() {
        assert_eq!(scalar("https://e.org/a?x=1", false), "https://e.org/a?x=1");
        assert_eq!(scalar("https://e.org/a,b", true), "\"https://e.org/a,b\"");
        assert_eq!(scalar("2019-04-10", false), "2019-04-10");
        assert_eq!(scalar("true", false), "\"true\"");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
        assert_eq!(scalar("https://e.org/路径", false), "https://e.org/路径");
        assert_eq!(
            scalar("Hikvision's Xinjiang projects", false),
            "Hikvision's Xinjiang projects"
        );
        assert_eq!(scalar(" padded", false), "\" padded\"");
        assert_eq!(scalar("a # b", false), "\"a # b\"");
        assert_eq!(scalar("'quoted'", false), "\"'quoted'\"");
        assert_eq!(scalar("2019", false), "\"2019\"");
        assert_eq!(scalar("Off", false), "\"Off\"");
        assert_eq!(scalar("a\u{202e}b", false), "\"a\\u202Eb\"");
        assert_eq!(scalar("say \"no\"\\", false), "\"say \\\"no\\\"\\\\\"");
        // What YAML reads back is the value itself.
        for value in ["a\u{202e}b", "say \"no\"\\", "line\nbreak", " x", "true"] {
            let text = format!("k: {}\n", scalar(value, false));
            let node = crate::yaml::parse(&text)
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("{text}"));
            let crate::yaml::Value::Map(entries) = node.value else {
                panic!("{text}")
            };
            assert_eq!(
                entries[0].1.value,
                crate::yaml::Value::Str(value.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_dry_run_shows_the_insertion_as_a_diff() {
        let text = "sources:\n  - id: a\n    url: https://e.org/a\n    title: A\n";
        let items = archives("https://w.org/x");
        let field = NewField {
            name: "archives",
            value: NewValue::List(&items),
        };
        let insertion = add_after(text, Pos::new(3, 10, 15), "https://e.org/a", &field)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            diff("claims/s.yaml", text, &[insertion]),
            "--- a/claims/s.yaml\n+++ b/claims/s.yaml\n@@ -1,4 +1,7 @@\n sources:\n   - id: a\n     url: https://e.org/a\n+    archives:\n+      - url: https://w.org/x\n+        captured: 2019-04-10\n     title: A\n"
        );
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn a_value_is_replaced_in_place_and_shown_as_a_changed_line() {
        let text =
            "sources:\n  - id: a\n    title: Old title   # from Zotero\n    url: https://e.org/a\n";
        let edit = replace_value(text, Pos::new(3, 12, 9), "Old title", "New: title")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            apply(text, std::slice::from_ref(&edit)),
            "sources:\n  - id: a\n    title: \"New: title\"   # from Zotero\n    url: https://e.org/a\n"
        );
        assert_eq!(
            diff("s.yaml", text, &[edit]),
            "--- a/s.yaml\n+++ b/s.yaml\n@@ -1,4 +1,4 @@\n sources:\n   - id: a\n-    title: Old title   # from Zotero\n+    title: \"New: title\"   # from Zotero\n     url: https://e.org/a\n"
        );
        let flow = "sources:\n  - {id: a, title: Old}\n";
        let edit = replace_value(flow, Pos::new(2, 20, 3), "Old", "A, B")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            apply(flow, &[edit]),
            "sources:\n  - {id: a, title: \"A, B\"}\n"
        );
    }

    #[test]
    fn a_scalar_field_is_added_after_a_value() {
        let text = "sources:\n  - id: a\n    title: A\n";
        let field = NewField {
            name: "doi",
            value: NewValue::Scalar("10.1234/x"),
        };
        let edit =
            add_after(text, Pos::new(2, 9, 1), "a", &field).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            apply(text, &[edit]),
            "sources:\n  - id: a\n    doi: 10.1234/x\n    title: A\n"
        );
    }
}
