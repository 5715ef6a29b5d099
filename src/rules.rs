//! The rules a single value must follow (an id, a URL, a language tag, a checksum, a
//! relative folder), in one leaf module that depends only on `text`: the decoder
//! applies them, `schema` prints the same rules as JSON Schema patterns, and
//! the checks and pages that need one call it from here.

/// The id rule as a JSON Schema pattern (see [`id_problem`]).
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,79}$";
/// An http(s) URL with a host, as a JSON Schema pattern (see [`is_web_url`]).
pub const URL_PATTERN: &str = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#:@]+";
/// A BCP 47 language tag, as a JSON Schema pattern (see [`is_language_tag`]).
pub const LANGUAGE_PATTERN: &str = "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$";
/// A sha256 checksum, as a JSON Schema pattern (see [`is_sha256`]).
pub const SHA256_PATTERN: &str = "^[0-9a-fA-F]{64}$";
/// A DOI as FORMAT.md writes it: `10.`, a registrant code, `/`, a suffix; no resolver
/// prefix.
pub const DOI_PATTERN: &str = "^10\\.[0-9]{4,9}(\\.[0-9]+)*/[^\\s]+$";
/// `SCHEME:VALUE`, with one of the schemes an import writes.
pub const IMPORT_KEY_PATTERN: &str = "^(zotero|bibtex|doi|claimreview|csv):[^\\s].*$";

/// The schemes of `import_key`.
pub const IMPORT_SCHEMES: &[&str] = &["zotero", "bibtex", "doi", "claimreview", "csv"];

/// A DOI: `10.NNNN/suffix` (the suffix any visible characters), at most 300 bytes.
pub fn is_doi(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    let mut parts = registrant.split('.');
    let first = parts.next().unwrap_or_default();
    text.len() <= 300
        && (4..=9).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && !suffix.is_empty()
        && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An import key: a scheme of [`IMPORT_SCHEMES`], `:`, and a value without controls,
/// at most 2,000 bytes.
pub fn is_import_key(text: &str) -> bool {
    let Some((scheme, value)) = text.split_once(':') else {
        return false;
    };
    IMPORT_SCHEMES.contains(&scheme)
        && !value.is_empty()
        && !value.starts_with(char::is_whitespace)
        && text.len() <= 2000
        && !value.chars().any(char::is_control)
}

/// Why `id` breaks the id rule, if it does.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("is empty")
    } else if id.len() > 80 {
        Some("is longer than 80 characters")
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("has characters other than a-z, 0-9 and `-`")
    } else if id.starts_with('-') {
        Some("starts with `-`")
    } else {
        None
    }
}

/// An absolute `http` or `https` URL with a host, and nothing that could hide in it
/// (no spaces, controls or backslashes).
pub fn is_web_url(url: &str) -> bool {
    let lower = url
        .get(..8)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    !host.is_empty()
        && !host.starts_with(':')
        && url.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && c != '\\' && !crate::text::is_disguising(c)
        })
}

/// A loose BCP 47 check: a 2-3 letter (or 4-8) primary subtag, then alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// What is wrong with a folder named in the settings, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderProblem {
    /// Empty or absolute: not a folder relative to the repository root.
    NotRelative,
    /// Climbs out of the repository with `..`.
    Climbs,
}

/// A folder of the settings (`data`, `output`, `templates`) must be relative to the
/// repository root and stay inside it, without `..`; links are judged where the folder
/// is opened or written.
pub fn folder_problem(value: &str) -> Option<FolderProblem> {
    let path = std::path::Path::new(value);
    if value.is_empty() || path.is_absolute() || path.has_root() {
        Some(FolderProblem::NotRelative)
    } else if path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        Some(FolderProblem::Climbs)
    } else {
        None
    }
}

/// 64 hexadecimal digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_relative_and_stay_inside() {
        assert_eq!(folder_problem("claims"), None);
        assert_eq!(folder_problem("./a/b"), None);
        assert_eq!(folder_problem(""), Some(FolderProblem::NotRelative));
        assert_eq!(folder_problem("/etc"), Some(FolderProblem::NotRelative));
        assert_eq!(folder_problem("../x"), Some(FolderProblem::Climbs));
        assert_eq!(folder_problem("a/../../x"), Some(FolderProblem::Climbs));
    }

    #[test]
    fn checksums_are_64_hex_digits() {
        assert!(is_sha256(
            &"aF0".repeat(21).chars().chain(['1']).collect::<String>()
        ));
        assert!(!is_sha256("abc"));
        assert!(!is_sha256(&"g".repeat(64)));
    }

    #[test]
    fn ids_follow_the_rule() {
        assert_eq!(id_problem("hikvision-2017"), None);
        assert_eq!(id_problem("9a"), None);
        assert!(id_problem("-a").is_some());
        assert!(id_problem("A").is_some());
        assert!(id_problem(&"a".repeat(81)).is_some());
        assert!(id_problem("a/b").is_some());
        assert!(id_problem("").is_some());
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "zh", "zh-Hans", "ug-Arab-CN", "yue"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e", "english language", "en_US", "zh--x"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn only_absolute_web_urls() {
        for ok in [
            "https://ipvm.com/reports/x",
            "http://example.org",
            "HTTPS://EXAMPLE.ORG/a?b#c",
            "https://user@host:8080/",
        ] {
            assert!(is_web_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x",
            "//example.org",
            "https://",
            "https:///path",
            "https://a b",
            "example.org",
            "https://ex\u{202e}ample.org",
            "https://:80/",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
