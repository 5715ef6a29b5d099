//! BibTeX and BibLaTeX (Better BibTeX exports, JabRef), through Typst's `biblatex`
//! parser: each entry (`@online`, `@misc`, `@article`, `@report`, `@book`,
//! `@inproceedings`, `@video`, ...) becomes a source; `@comment` blocks, `@string`
//! macros and month macros are the parser's. What FORMAT.md's fields cannot say is
//! reported with the entry's key and line.

use super::{Imported, Read};
use crate::model::{Date, SourceKind};
use biblatex::{ChunksExt, DateValue, EntryType, PermissiveType};

/// The deepest braces accepted: real files nest a few levels; a brace bomb is
/// refused before the parser, which descends once per level, sees it.
const MAX_BRACE_DEPTH: usize = 64;

/// Reads the BibTeX text of the file `name`.
pub fn read(name: &str, bytes: &[u8]) -> Result<Read, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|err| format!("{name} is not UTF-8 text (byte {})", err.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate() {
        match byte {
            b'{' => {
                depth += 1;
                if depth > MAX_BRACE_DEPTH {
                    return Err(format!(
                        "{name} nests braces more than {MAX_BRACE_DEPTH} deep (line {}); no bibliography does",
                        line_of(text, at)
                    ));
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let bibliography = biblatex::Bibliography::parse(text).map_err(|err| {
        format!(
            "{name} is not BibTeX: {} at line {}",
            err.kind,
            line_of(text, err.span.start)
        )
    })?;
    let mut read = Read::default();
    for entry in bibliography.iter() {
        let at = text
            .find(&format!("{{{},", entry.key))
            .map_or(0, |i| line_of(text, i));
        let place = format!("{name}:{at}: entry {}", crate::text::shown(&entry.key));
        let mut notes = Vec::new();
        match source(entry, &mut |what| notes.push(format!("{place}: {what}"))) {
            Ok(imported) => read.items.push((place, imported)),
            Err(why) => read.problems.push(format!("{place}: {why}; skipped")),
        }
        read.notes.extend(notes);
    }
    Ok(read)
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn kind(entry: &biblatex::Entry) -> SourceKind {
    match &entry.entry_type {
        EntryType::Online => SourceKind::Website,
        EntryType::Article => {
            if entry
                .get("journaltitle")
                .or_else(|| entry.get("journal"))
                .is_some()
            {
                SourceKind::Academic
            } else {
                SourceKind::News
            }
        }
        EntryType::Report | EntryType::TechReport => SourceKind::Report,
        EntryType::InProceedings
        | EntryType::Proceedings
        | EntryType::Thesis
        | EntryType::MastersThesis
        | EntryType::PhdThesis => SourceKind::Academic,
        EntryType::Book | EntryType::InBook | EntryType::Booklet | EntryType::Manual => {
            SourceKind::Document
        }
        EntryType::Dataset => SourceKind::Dataset,
        EntryType::Unknown(other) => match other.as_str() {
            "video" | "movie" | "audio" | "music" => SourceKind::Media,
            "jurisdiction" | "legislation" | "legal" => SourceKind::Filing,
            "interview" => SourceKind::Interview,
            "dataset" => SourceKind::Dataset,
            _ => SourceKind::Other,
        },
        _ => SourceKind::Other,
    }
}

fn text(chunks: &[biblatex::Spanned<biblatex::Chunk>]) -> Option<String> {
    let text = chunks.format_verbatim();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn source(entry: &biblatex::Entry, note: &mut dyn FnMut(String)) -> Result<Imported, String> {
    // A collection's or proceedings' name may be only its `booktitle`.
    let title = entry
        .title()
        .ok()
        .and_then(text)
        .or_else(|| entry.book_title().ok().and_then(text))
        .ok_or("it has no `title` or `booktitle`")?;
    let author = entry.author().ok().and_then(|people| {
        let names: Vec<String> = people
            .iter()
            .map(|p| {
                if p.given_name.is_empty() {
                    // A braced corporate name, kept whole.
                    p.name.clone()
                } else {
                    [
                        p.given_name.as_str(),
                        p.prefix.as_str(),
                        p.name.as_str(),
                        p.suffix.as_str(),
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
                }
            })
            .filter(|n| !n.is_empty())
            .collect();
        (!names.is_empty()).then(|| names.join("; "))
    });
    let publisher = entry
        .publisher()
        .ok()
        .and_then(|list| list.first().and_then(|c| text(c)))
        .or_else(|| entry.journal_title().ok().and_then(text))
        .or_else(|| {
            entry
                .organization()
                .ok()
                .and_then(|l| l.first().and_then(|c| text(c)))
        })
        .or_else(|| entry.institution().ok().and_then(text));
    let published = match entry.date() {
        Ok(date) => date_of(date, "date", note),
        Err(_) => None,
    };
    let accessed = match entry.url_date() {
        Ok(date) => date_of(date, "urldate", note),
        Err(_) => None,
    };
    let url = entry.url().ok().and_then(|url| {
        let url = url.trim().to_owned();
        crate::rules::is_web_url(&url)
            .then_some(url.clone())
            .or_else(|| {
                note(format!(
                    "`url` `{}` is not an http or https address; left out",
                    crate::text::shown(&url)
                ));
                None
            })
    });
    let doi = entry.doi().ok().and_then(|doi| {
        let doi = doi.trim();
        super::bare_doi(doi).or_else(|| {
            note(format!(
                "`doi` `{}` is not a DOI; left out",
                crate::text::shown(doi)
            ));
            None
        })
    });
    let language = entry
        .get("langid")
        .or_else(|| entry.get("language"))
        .and_then(text)
        .and_then(|lang| {
            language_tag(&lang).or_else(|| {
                note(format!(
                    "`langid` `{}` is not a language this can name; left out",
                    crate::text::shown(&lang)
                ));
                None
            })
        });
    Ok(Imported {
        import_key: format!("bibtex:{}", entry.key),
        id: super::make_id(&entry.key, &title, published),
        title,
        kind: Some(kind(entry)),
        author,
        publisher,
        published,
        accessed,
        url,
        doi,
        language,
        archives: Vec::new(),
    })
}

/// A BCP 47 tag, or the tag of a babel language name (`langid = {german}`).
fn language_tag(lang: &str) -> Option<String> {
    let lower = lang.trim().to_lowercase();
    let named = match lower.as_str() {
        "english" | "american" | "british" | "usenglish" | "ukenglish" => "en",
        "german" | "ngerman" => "de",
        "french" => "fr",
        "spanish" => "es",
        "russian" => "ru",
        "chinese" => "zh",
        "arabic" => "ar",
        "uyghur" | "uighur" => "ug",
        "japanese" => "ja",
        "italian" => "it",
        "portuguese" => "pt",
        "polish" => "pl",
        "turkish" => "tr",
        _ => "",
    };
    if !named.is_empty() {
        return Some(named.to_owned());
    }
    crate::rules::is_language_tag(lang.trim()).then(|| lang.trim().to_owned())
}

/// A parsed date at the precision given, or what could not be kept, noted.
fn date_of(
    date: PermissiveType<biblatex::Date>,
    name: &str,
    note: &mut dyn FnMut(String),
) -> Option<Date> {
    let date = match date {
        PermissiveType::Typed(date) => date,
        PermissiveType::Chunks(chunks) => {
            let written = chunks.format_verbatim();
            note(format!(
                "`{name}` `{}` is not a date; left out",
                crate::text::shown(&written)
            ));
            return None;
        }
    };
    if date.uncertain || date.approximate {
        note(format!(
            "`{name}` is uncertain or approximate; kept as the date given, without that"
        ));
    }
    let at = match date.value {
        DateValue::At(at) => at,
        DateValue::Between(start, _) | DateValue::After(start) => {
            note(format!("`{name}` is a range; only its start is kept"));
            start
        }
        DateValue::Before(end) => {
            note(format!(
                "`{name}` is open at its start; only its end is kept"
            ));
            end
        }
    };
    let text = match (at.month, at.day) {
        (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", at.year, m + 1, d + 1),
        (Some(m), None) => format!("{:04}-{:02}", at.year, m + 1),
        _ => format!("{:04}", at.year),
    };
    Date::parse(&text).or_else(|| {
        note(format!(
            "`{name}` `{text}` is not a date a source can have; left out"
        ));
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_mapped_with_their_dates_names_and_escapes() {
        let bib = r#"@comment{jabref-meta: databaseType:biblatex;}
@string{ipvm = "IPVM"}
@online{rollet2018,
  author = {Rollet, Charles and {World Health Organization}},
  title = {Hikvision's {Xinjiang} Projects},
  publisher = ipvm,
  date = {2018-11},
  urldate = {2019-03-02T10:00:00Z},
  url = {https://ipvm.com/reports/xinjiang},
  langid = {english},
}
@article{zenz, title = {Caf\'e {\"U}ber}, journal = {Journal of Political Risk}, year = 2019, month = jul, doi = {https://doi.org/10.1234/x}}
@misc{notitle, year = 2020}
"#;
        let read = read("refs.bib", bib.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.items.len(), 2, "{:?}", read.problems);
        let first = &read.items[0].1;
        assert_eq!(first.import_key, "bibtex:rollet2018");
        assert_eq!(first.title, "Hikvision's Xinjiang Projects");
        assert_eq!(
            first.author.as_deref(),
            Some("Charles Rollet; World Health Organization")
        );
        assert_eq!(first.publisher.as_deref(), Some("IPVM"));
        assert_eq!(first.kind, Some(SourceKind::Website));
        assert_eq!(
            first.published.map(|d| d.to_string()).as_deref(),
            Some("2018-11")
        );
        assert_eq!(
            first.accessed.map(|d| d.to_string()).as_deref(),
            Some("2019-03-02")
        );
        assert_eq!(first.language.as_deref(), Some("en"));
        let second = &read.items[1].1;
        assert_eq!(second.title, "Café Über");
        assert_eq!(second.kind, Some(SourceKind::Academic));
        assert_eq!(
            second.published.map(|d| d.to_string()).as_deref(),
            Some("2019-07")
        );
        assert_eq!(second.doi.as_deref(), Some("10.1234/x"));
        assert_eq!(
            read.problems,
            ["refs.bib:13: entry notitle: it has no `title` or `booktitle`; skipped"]
        );
    }

    #[test]
    fn a_brace_bomb_or_broken_text_is_refused_whole() {
        let bomb = format!(
            "@misc{{a, title = {}{}}}",
            "{".repeat(100_000),
            "}".repeat(100_000)
        );
        assert!(
            read("bomb.bib", bomb.as_bytes())
                .unwrap_err()
                .contains("nests braces")
        );
        assert!(read("bad.bib", &[0xff]).is_err());
        assert!(read("cut.bib", b"@misc{a, title = {x").is_err());
    }
}
