//! CSL-JSON, as Zotero, Better BibTeX and Manubot export it: an array of items (or
//! one item), each becoming a source. What FORMAT.md's fields cannot say (a date
//! range, a season, a `circa`, a literal date, a URL that is not on the web) is
//! reported with the item's place rather than silently lost; an item without a title
//! is skipped.

use super::{Imported, Read};
use crate::model::{Date, SourceKind};
use serde_json::Value;

/// Reads the CSL-JSON text of the file `name`.
pub fn read(name: &str, bytes: &[u8]) -> Result<Read, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|err| format!("{name} is not UTF-8 text (byte {})", err.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value =
        serde_json::from_str(text).map_err(|err| format!("{name} is not CSL-JSON: {err}"))?;
    let items = match value {
        Value::Array(items) => items,
        item @ Value::Object(_) => vec![item],
        other => {
            return Err(format!(
                "{name} is not CSL-JSON: it holds {}, not a list of items",
                kind_of(&other)
            ));
        }
    };
    let mut read = Read::default();
    for (n, item) in items.iter().enumerate() {
        let id = item.get("id").and_then(text_of);
        let place = match &id {
            Some(id) => format!("{name}: item {} (id {})", n + 1, crate::text::shown(id)),
            None => format!("{name}: item {}", n + 1),
        };
        match source(item, &place, &mut read.notes) {
            Ok(imported) => read.items.push((place, imported)),
            Err(why) => read.problems.push(format!("{place}: {why}; skipped")),
        }
    }
    Ok(read)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Text or a number, as text.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// CSL item types to FORMAT.md's kinds (issue 15's table).
fn kind(csl_type: &str) -> SourceKind {
    match csl_type {
        "article-newspaper" => SourceKind::News,
        "report" => SourceKind::Report,
        "webpage" | "post" | "post-weblog" => SourceKind::Website,
        "article-journal" => SourceKind::Academic,
        "dataset" => SourceKind::Dataset,
        "interview" => SourceKind::Interview,
        "broadcast" | "motion_picture" => SourceKind::Media,
        "legal_case" | "legislation" => SourceKind::Filing,
        _ => SourceKind::Other,
    }
}

fn source(item: &Value, place: &str, notes: &mut Vec<String>) -> Result<Imported, String> {
    if !item.is_object() {
        return Err(format!(
            "an item must be an object, found {}",
            kind_of(item)
        ));
    }
    let field = |name: &str| item.get(name).and_then(text_of);
    let title = field("title").ok_or("it has no `title`")?;
    let key = field("citation-key")
        .or_else(|| field("citationKey"))
        .or_else(|| field("id"))
        .ok_or("it has no `id` or `citation-key` to be found by when imported again")?;
    let import_key = match key.strip_prefix("doi:") {
        Some(doi) => format!("doi:{doi}"),
        None => format!("zotero:{key}"),
    };
    let mut note = |what: String| notes.push(format!("{place}: {what}"));
    let url = field("URL").and_then(|url| {
        crate::rules::is_web_url(&url)
            .then_some(url.clone())
            .or_else(|| {
                note(format!(
                    "`URL` `{}` is not an http or https address; left out",
                    crate::text::shown(&url)
                ));
                None
            })
    });
    let doi = field("DOI").and_then(|doi| {
        super::bare_doi(&doi).or_else(|| {
            note(format!(
                "`DOI` `{}` is not a DOI; left out",
                crate::text::shown(&doi)
            ));
            None
        })
    });
    let language = field("language").and_then(|tag| {
        crate::rules::is_language_tag(&tag)
            .then_some(tag.clone())
            .or_else(|| {
                note(format!(
                    "`language` `{}` is not a BCP 47 tag; left out",
                    crate::text::shown(&tag)
                ));
                None
            })
    });
    let mut archives = Vec::new();
    if let Some(location) = field("archive_location") {
        if crate::rules::is_web_url(&location) {
            archives.push(location);
        } else {
            note(format!(
                "`archive_location` `{}` is not a web address, so it is not an archived copy; left out",
                crate::text::shown(&location)
            ));
        }
    }
    let published = item
        .get("issued")
        .and_then(|d| date(d, "issued", &mut note));
    let accessed = item
        .get("accessed")
        .and_then(|d| date(d, "accessed", &mut note));
    let author = item.get("author").and_then(|a| names(a, &mut note));
    let publisher = field("publisher").or_else(|| field("container-title"));
    Ok(Imported {
        import_key,
        id: super::make_id(&key, &title, published),
        title,
        kind: field("type").map(|t| kind(&t)),
        author,
        publisher,
        published,
        accessed,
        url,
        doi,
        language,
        archives,
    })
}

/// A CSL date at the precision given, or what could not be kept, noted.
fn date(value: &Value, name: &str, note: &mut dyn FnMut(String)) -> Option<Date> {
    let part = |v: &Value| -> Option<u32> {
        match v {
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    if value.get("season").is_some() {
        note(format!(
            "`{name}` has a season, which a date here cannot say; the season is left out"
        ));
    }
    if value
        .get("circa")
        .is_some_and(|c| !matches!(c, Value::Bool(false) | Value::Null))
    {
        note(format!(
            "`{name}` is circa; kept as the date given, without the circa"
        ));
    }
    if let Some(Value::Array(parts)) = value.get("date-parts") {
        if parts.len() > 1 {
            note(format!("`{name}` is a range; only its start is kept"));
        }
        let first = parts.first().and_then(Value::as_array)?;
        let numbers: Vec<u32> = first.iter().map_while(part).collect();
        let text = match numbers.as_slice() {
            [y] => format!("{y:04}"),
            [y, m] => format!("{y:04}-{m:02}"),
            [y, m, d, ..] => format!("{y:04}-{m:02}-{d:02}"),
            [] => String::new(),
        };
        return match Date::parse(&text) {
            Some(date) => Some(date),
            None => {
                note(format!("`{name}` `{first:?}` is not a date; left out"));
                None
            }
        };
    }
    for form in ["raw", "literal"] {
        if let Some(text) = value.get(form).and_then(text_of) {
            // Full ISO timestamps keep their date.
            let day = text.split('T').next().unwrap_or(&text);
            if let Some(date) = Date::parse(day) {
                return Some(date);
            }
            note(format!(
                "`{name}` `{}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD; left out",
                crate::text::shown(&text)
            ));
            return None;
        }
    }
    None
}

/// Whether a name is written in a script that puts the family name first, unspaced.
fn east_asian(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
    })
}

/// The authors as one line of free text, each as written: a `literal` whole, else
/// given name and family name (family first, unspaced, for Chinese, Japanese and
/// Korean names), joined with `; `.
fn names(value: &Value, note: &mut dyn FnMut(String)) -> Option<String> {
    let list = value.as_array()?;
    let mut out = Vec::new();
    for person in list {
        let part = |name: &str| person.get(name).and_then(text_of);
        if let Some(literal) = part("literal") {
            out.push(literal);
            continue;
        }
        let family = [part("non-dropping-particle"), part("family")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let given = [part("given"), part("dropping-particle")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let name = if east_asian(&family) || east_asian(&given) {
            format!("{family}{given}")
        } else {
            [given, family, part("suffix").unwrap_or_default()]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if name.is_empty() {
            note("an author without a name is left out".to_owned());
        } else {
            out.push(name);
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_mapped_as_the_issue_says() {
        let json = r#"[{"id": "rollet2018", "type": "report", "title": "Hikvision's Xinjiang projects",
            "author": [{"family": "Rollet", "given": "Charles"}, {"literal": "IPVM Team"}, {"family": "王", "given": "伟"}],
            "publisher": "IPVM", "issued": {"date-parts": [["2018", 11]]}, "accessed": {"date-parts": [[2019, 3, 2]]},
            "URL": "https://ipvm.com/reports/xinjiang", "DOI": "https://doi.org/10.1234/abc", "language": "en",
            "archive_location": "https://web.archive.org/web/2019/https://ipvm.com/reports/xinjiang"},
            {"id": 7, "type": "article-newspaper", "title": "Second", "container-title": "Le Monde",
             "issued": {"date-parts": [[2019], [2020]], "season": 2}, "URL": "ftp://x"},
            {"id": "no-title"}]"#;
        let read = read("refs.json", json.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.items.len(), 2);
        let first = &read.items[0].1;
        assert_eq!(first.import_key, "zotero:rollet2018");
        assert_eq!(first.id, "rollet2018");
        assert_eq!(first.kind, Some(SourceKind::Report));
        assert_eq!(
            first.author.as_deref(),
            Some("Charles Rollet; IPVM Team; 王伟")
        );
        assert_eq!(
            first.published.map(|d| d.to_string()).as_deref(),
            Some("2018-11")
        );
        assert_eq!(
            first.accessed.map(|d| d.to_string()).as_deref(),
            Some("2019-03-02")
        );
        assert_eq!(first.doi.as_deref(), Some("10.1234/abc"));
        assert_eq!(first.archives.len(), 1);
        let second = &read.items[1].1;
        assert_eq!(second.kind, Some(SourceKind::News));
        assert_eq!(second.publisher.as_deref(), Some("Le Monde"));
        assert_eq!(
            second.published.map(|d| d.to_string()).as_deref(),
            Some("2019")
        );
        assert_eq!(second.url, None);
        assert_eq!(
            read.problems,
            ["refs.json: item 3 (id no-title): it has no `title`; skipped"]
        );
        assert!(
            read.notes
                .iter()
                .any(|n| n.contains("item 2") && n.contains("range")),
            "{:?}",
            read.notes
        );
        assert!(
            read.notes.iter().any(|n| n.contains("season")),
            "{:?}",
            read.notes
        );
        assert!(
            read.notes.iter().any(|n| n.contains("ftp://x")),
            "{:?}",
            read.notes
        );
    }

    #[test]
    fn what_is_not_csl_json_is_refused_whole() {
        assert!(read("a.json", b"{\"a\": ").is_err());
        assert!(read("a.json", b"\"text\"").is_err());
        assert!(read("a.json", &[0xff, 0xfe]).is_err());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(read("a.json", deep.as_bytes()).is_err());
    }
}
