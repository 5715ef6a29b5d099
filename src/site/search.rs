//! The site's search index, cut into shards so that a query loads only what it needs.
//!
//! One index file of every record grows with the archive (36 MB at 100,000 claims), and
//! a reader's browser had to load all of it before the first answer. Here the index is
//! cut the way Pagefind cuts its own:
//! - the words of every record, sorted and cut into chunks of about [`TERMS_CHUNK`]
//!   bytes (`search/t<N>.js`), each word with the numbers of the records it occurs in;
//!   the filters of the claims table (evidence, verdict, tag, entity) are words of
//!   their own (`:b:`, `:v:`, `:n`, `:t:`, `:e:`), so a filter is a look-up like a word;
//! - what a result shows of each record, [`DOCS_CHUNK`] records a file (`search/d<N>.js`);
//! - the sort orders of the claims table, as the rank of each claim (`search/o-<key>.js`);
//! - `search/meta.js`: the first word of every chunk of words, the numbers of records
//!   and the labels, so that the page knows which chunks a query needs;
//! - `search/choices.js`: the tags and entities the claims table can be filtered by.
//!
//! Every file is a script that stores its data in a global and is loaded by a
//! `<script>` tag, because a page opened from disk (`file://`) may not fetch. Records
//! are numbered claims first, then sources, then entities, each kind by id.
//!
//! Words are cut by [`terms`] here and by `queryTerms` in `corroborate.js`, which must
//! follow the same rule: NFC, lower case, runs of letters and digits; in Chinese and
//! Japanese text, which has no spaces, every character and every pair of neighbours.

use crate::Checked;
use crate::model::{Balance, Verdict};
use crate::text::inert;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use unicode_normalization::UnicodeNormalization;

/// About how many bytes of postings a chunk of words holds: a query of a few words
/// loads a few chunks, and a site of 100,000 claims has a few hundred of them.
pub const TERMS_CHUNK: usize = 48 * 1024;
/// How many records' display data a file holds: the first 100 results of a query can
/// fall in 100 files, so they stay small.
pub const DOCS_CHUNK: usize = 40;
/// The folder of the index in the site.
pub const FOLDER: &str = "search";

/// The order of the evidence column in the claims table (not the declaration order:
/// the strongest evidence for the claim first).
const BALANCE_ORDER: [Balance; 4] = [
    Balance::Supported,
    Balance::Contested,
    Balance::Contradicted,
    Balance::NoEvidence,
];

/// What the index knows of a claim.
pub struct ClaimDoc {
    pub id: String,
    pub statement: String,
    /// The claimant's id and name.
    pub claimant: Option<(String, String)>,
    /// The ids of the entities the claim is about.
    pub about: Vec<String>,
    pub balance: Balance,
    pub verdict: Option<Verdict>,
    pub tags: Vec<String>,
    /// Supporting sources and their independent origins.
    pub supports: (usize, usize),
    /// Contradicting sources and their independent origins.
    pub contradicts: (usize, usize),
}

/// What the index knows of a source.
pub struct SourceDoc {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
}

/// What the index knows of an entity.
pub struct EntityDoc {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// Every record the index holds. All text is already inert (see [`Input::of`]): the
/// pages set it with `textContent`, where a direction override would act.
pub struct Input {
    pub claims: Vec<ClaimDoc>,
    pub sources: Vec<SourceDoc>,
    pub entities: Vec<EntityDoc>,
}

fn shown(s: &str) -> String {
    inert(s).into_owned()
}

impl Input {
    /// The records of a checked repository, each kind in the order of its ids.
    pub fn of(checked: &Checked) -> Input {
        let repo = &checked.repo;
        let mut claims: Vec<ClaimDoc> = repo
            .claims
            .iter()
            .zip(&checked.analysis.claims)
            .map(|(c, facts)| ClaimDoc {
                id: shown(&c.id.value),
                statement: shown(&c.statement),
                claimant: c.claimant.as_ref().map(|x| {
                    let id = x.value.as_str();
                    let name = checked.entity(id).map_or(id, |e| e.name.as_str());
                    (shown(id), shown(name))
                }),
                about: c.about.iter().map(|x| shown(&x.value)).collect(),
                balance: facts.balance,
                verdict: c.verdict.as_ref().map(|v| v.value),
                tags: c.tags.iter().map(|t| shown(t)).collect(),
                supports: (facts.sources.supports.len(), facts.origins.supports.len()),
                contradicts: (
                    facts.sources.contradicts.len(),
                    facts.origins.contradicts.len(),
                ),
            })
            .collect();
        claims.sort_by(|a, b| a.id.cmp(&b.id));
        let mut sources: Vec<SourceDoc> = repo
            .sources
            .iter()
            .map(|s| SourceDoc {
                id: shown(&s.id.value),
                title: shown(&s.title),
                publisher: s.publisher.as_deref().map(shown),
            })
            .collect();
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        let mut entities: Vec<EntityDoc> = repo
            .entities
            .iter()
            .map(|e| EntityDoc {
                id: shown(&e.id.value),
                name: shown(&e.name),
                aliases: e.aliases.iter().map(|a| shown(a)).collect(),
            })
            .collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        Input {
            claims,
            sources,
            entities,
        }
    }
}

/// Chinese and Japanese scripts, written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Calls `out` with every word of `text` a search can find it by: the text in NFC and
/// lower case (the dot of a lowered `İ` dropped), cut into runs of letters and digits
/// (`\p{Alphabetic}` and `\p{N}`, as `corroborate.js` cuts a query); a run of Chinese
/// or Japanese characters gives each character and each pair of neighbours.
pub fn terms(text: &str, out: &mut impl FnMut(&str)) {
    let mut folded: String = text.nfc().collect::<String>().to_lowercase();
    // `İ` lowers to `i` and a combining dot: a reader types `istanbul` for `İSTANBUL`.
    if folded.contains('\u{307}') {
        folded = folded.replace("i\u{307}", "i");
    }
    let mut word_start: Option<usize> = None;
    let mut previous_cjk: Option<usize> = None;
    let mut iter = folded.char_indices().peekable();
    while let Some((at, c)) = iter.next() {
        let end = iter.peek().map_or(folded.len(), |&(next, _)| next);
        if is_cjk(c) {
            if let Some(start) = word_start.take() {
                out(&folded[start..at]);
            }
            out(&folded[at..end]);
            if let Some(before) = previous_cjk {
                out(&folded[before..end]);
            }
            previous_cjk = Some(at);
        } else if c.is_alphanumeric() {
            previous_cjk = None;
            word_start.get_or_insert(at);
        } else {
            previous_cjk = None;
            if let Some(start) = word_start.take() {
                out(&folded[start..at]);
            }
        }
    }
    if let Some(start) = word_start {
        out(&folded[start..]);
    }
}

/// The order of JavaScript's string comparison (UTF-16 code units), which the page
/// uses to find a word among the chunks.
fn js_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The numbers, as the page reads them: each the difference from the one before, in
/// base 36, separated by commas.
fn postings(numbers: &[u32]) -> String {
    let mut out = String::with_capacity(numbers.len() * 3);
    let mut last = 0;
    for (i, &n) in numbers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        base36(n - last, &mut out);
        last = n;
    }
    out
}

fn base36(mut n: u32, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 7];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// A script that stores `json` under `name` among the loaded chunks.
fn chunk_script(name: &str, json: &str) -> Vec<u8> {
    format!(
        "(window.CORROBORATE_CHUNKS = window.CORROBORATE_CHUNKS || {{}})[\"{name}\"] = {};\n",
        super::jsonld::script_safe(json)
    )
    .into_bytes()
}

fn global_script(global: &str, json: &str) -> Vec<u8> {
    format!("window.{global} = {};\n", super::jsonld::script_safe(json)).into_bytes()
}

fn json(value: &impl Serialize) -> String {
    // Serialising plain records of strings and numbers cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// The ranks of `keys` (equal keys, equal ranks), as base-36 numbers in claim order.
fn ranks<K: Ord>(keys: Vec<K>) -> String {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut rank = vec![0u32; keys.len()];
    let mut current = 0u32;
    for (i, &at) in order.iter().enumerate() {
        if i > 0 && keys[at] != keys[order[i - 1]] {
            current += 1;
        }
        rank[at] = current;
    }
    let mut out = String::with_capacity(keys.len() * 3);
    for (i, &r) in rank.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        base36(r, &mut out);
    }
    out
}

/// A string ordered as JavaScript orders it.
#[derive(PartialEq, Eq)]
struct JsString(String);

impl PartialOrd for JsString {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for JsString {
    fn cmp(&self, other: &Self) -> Ordering {
        js_order(&self.0, &other.0)
    }
}

/// The files of the index: paths inside the site, and their contents.
pub fn files(input: &Input) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let _ = write(input, &mut |name, bytes| {
        files.push((name, bytes));
        Ok(())
    });
    files
}

/// Hands each file of the index to `put` (its path inside the site and its contents)
/// as soon as it is made, so that only one is held at a time.
pub fn write(
    input: &Input,
    put: &mut dyn FnMut(String, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    // Words and filters, with the records they occur in.
    let mut index: HashMap<String, Vec<u32>> = HashMap::new();
    let mut add = |term: &str, doc: u32| match index.get_mut(term) {
        Some(list) => {
            if list.last() != Some(&doc) {
                list.push(doc);
            }
        }
        None => {
            index.insert(term.to_owned(), vec![doc]);
        }
    };
    let mut doc = 0u32;
    for c in &input.claims {
        let mut words = |t: &str| add(t, doc);
        terms(&c.statement, &mut words);
        if let Some((_, name)) = &c.claimant {
            terms(name, &mut words);
        }
        for t in &c.tags {
            terms(t, &mut words);
        }
        terms(&c.id, &mut words);
        add(&format!(":b:{}", c.balance.as_str()), doc);
        match c.verdict {
            Some(v) => add(&format!(":v:{}", v.as_str()), doc),
            None => add(":n", doc),
        }
        for t in &c.tags {
            add(&format!(":t:{t}"), doc);
        }
        for e in c.claimant.iter().map(|(id, _)| id).chain(&c.about) {
            add(&format!(":e:{e}"), doc);
        }
        doc += 1;
    }
    for s in &input.sources {
        let mut words = |t: &str| add(t, doc);
        terms(&s.title, &mut words);
        if let Some(p) = &s.publisher {
            terms(p, &mut words);
        }
        terms(&s.id, &mut words);
        doc += 1;
    }
    for e in &input.entities {
        let mut words = |t: &str| add(t, doc);
        terms(&e.name, &mut words);
        for a in &e.aliases {
            terms(a, &mut words);
        }
        terms(&e.id, &mut words);
        doc += 1;
    }
    let mut index: Vec<(String, Vec<u32>)> = index.into_iter().collect();
    index.sort_by(|a, b| js_order(&a.0, &b.0));

    // The chunks of words; each chunk's first word goes into meta.js.
    let mut firsts: Vec<&str> = Vec::new();
    let mut chunk: Vec<(&str, String)> = Vec::new();
    let mut size = 0;
    let mut chunks = 0;
    let mut flush = |chunk: &mut Vec<(&str, String)>| {
        let name = format!("t{chunks}");
        chunks += 1;
        let script = chunk_script(&name, &json(&chunk));
        chunk.clear();
        put(format!("{FOLDER}/{name}.js"), script)
    };
    for (term, docs) in &index {
        let list = postings(docs);
        size += term.len() + list.len() + 6;
        if chunk.is_empty() {
            firsts.push(term);
        }
        chunk.push((term, list));
        if size >= TERMS_CHUNK {
            flush(&mut chunk)?;
            size = 0;
        }
    }
    if !chunk.is_empty() {
        flush(&mut chunk)?;
    }

    // What results show, DOCS_CHUNK records a file.
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Shown<'a> {
        Claim(
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            &'static str,
            Option<&'static str>,
            &'a [String],
            [usize; 4],
        ),
        Source(&'a str, &'a str, Option<&'a str>),
        Entity(&'a str, &'a str, String),
    }
    let shown = input
        .claims
        .iter()
        .map(|c| {
            Shown::Claim(
                &c.id,
                &c.statement,
                c.claimant.as_ref().map(|(_, name)| name.as_str()),
                c.claimant.as_ref().map(|(id, _)| id.as_str()),
                c.balance.as_str(),
                c.verdict.map(Verdict::as_str),
                &c.tags,
                [c.supports.0, c.supports.1, c.contradicts.0, c.contradicts.1],
            )
        })
        .chain(
            input
                .sources
                .iter()
                .map(|s| Shown::Source(&s.id, &s.title, s.publisher.as_deref())),
        )
        .chain(
            input
                .entities
                .iter()
                .map(|e| Shown::Entity(&e.id, &e.name, e.aliases.join(" "))),
        )
        .collect::<Vec<_>>();
    for (n, records) in shown.chunks(DOCS_CHUNK).enumerate() {
        let name = format!("d{n}");
        put(
            format!("{FOLDER}/{name}.js"),
            chunk_script(&name, &json(&records)),
        )?;
    }

    // The sort orders of the claims table, as JavaScript compared them (lower case,
    // UTF-16 order; a claim without claimant last; more independent origins first).
    let claims = &input.claims;
    let orders: [(&str, String); 6] =
        [
            (
                "statement",
                ranks(
                    claims
                        .iter()
                        .map(|c| JsString(c.statement.to_lowercase()))
                        .collect(),
                ),
            ),
            (
                "claimant",
                ranks(
                    claims
                        .iter()
                        .map(|c| {
                            JsString(c.claimant.as_ref().map_or_else(
                                || "\u{ffff}".to_owned(),
                                |(_, name)| name.to_lowercase(),
                            ))
                        })
                        .collect(),
                ),
            ),
            (
                "verdict",
                ranks(
                    claims
                        .iter()
                        .map(|c| {
                            c.verdict.map_or(Verdict::ALL.len(), |v| {
                                Verdict::ALL.iter().position(|x| *x == v).unwrap_or(0)
                            })
                        })
                        .collect(),
                ),
            ),
            (
                "balance",
                ranks(
                    claims
                        .iter()
                        .map(|c| BALANCE_ORDER.iter().position(|b| *b == c.balance))
                        .collect(),
                ),
            ),
            (
                "supports",
                ranks(
                    claims
                        .iter()
                        .map(|c| std::cmp::Reverse(c.supports.1))
                        .collect(),
                ),
            ),
            (
                "contradicts",
                ranks(
                    claims
                        .iter()
                        .map(|c| std::cmp::Reverse(c.contradicts.1))
                        .collect(),
                ),
            ),
        ];
    for (key, ranks) in &orders {
        let name = format!("o-{key}");
        put(
            format!("{FOLDER}/{name}.js"),
            chunk_script(&name, &json(ranks)),
        )?;
    }

    // The choices of the claims table's filters.
    let mut tags: Vec<&str> = claims
        .iter()
        .flat_map(|c| c.tags.iter().map(String::as_str))
        .collect();
    tags.sort_by(|a, b| js_order(a, b));
    tags.dedup();
    let names: HashMap<&str, &str> = input
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.name.as_str()))
        .collect();
    let mut named: Vec<(&str, &str)> = claims
        .iter()
        .flat_map(|c| c.claimant.iter().map(|(id, _)| id).chain(&c.about))
        .map(|id| (id.as_str(), names.get(id.as_str()).copied().unwrap_or(id)))
        .collect();
    named.sort_by(|a, b| {
        js_order(&a.1.to_lowercase(), &b.1.to_lowercase()).then_with(|| js_order(a.0, b.0))
    });
    named.dedup_by(|a, b| a.0 == b.0);
    put(
        format!("{FOLDER}/choices.js"),
        global_script(
            "CORROBORATE_CHOICES",
            &json(&serde_json::json!({ "tags": tags, "entities": named })),
        ),
    )?;

    let labels = serde_json::json!({
        "balance": Balance::ALL.iter().map(|b| (b.as_str(), crate::wording::balance(*b))).collect::<BTreeMap<_, _>>(),
        "verdict": Verdict::ALL.iter().map(|v| (v.as_str(), crate::wording::verdict(*v))).collect::<BTreeMap<_, _>>(),
    });
    put(
        format!("{FOLDER}/meta.js"),
        global_script(
            "CORROBORATE_SEARCH",
            &json(&serde_json::json!({
                "claims": input.claims.len(),
                "sources": input.sources.len(),
                "entities": input.entities.len(),
                "docs": DOCS_CHUNK,
                "terms": firsts,
                "labels": labels,
            })),
        ),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{js_order, postings, ranks, terms};
    use std::cmp::Ordering;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, &mut |t| out.push(t.to_owned()));
        out
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_in_lower_case() {
        assert_eq!(
            words("Hikvision's NVR-4000: «nothing more»"),
            ["hikvision", "s", "nvr", "4000", "nothing", "more"]
        );
        assert_eq!(words("Москва, Үрүмчи"), ["москва", "үрүмчи"]);
        // Arabic script with its vowel marks stays one word; NFC joins a decomposed é.
        assert_eq!(words("ئۇيغۇر تىلى"), ["ئۇيغۇر", "تىلى"]);
        assert_eq!(words("Cafe\u{301} cafés"), ["café", "cafés"]);
        assert_eq!(words("İSTANBUL Işık"), ["istanbul", "işık"]);
    }

    #[test]
    fn chinese_gives_every_character_and_every_pair() {
        assert_eq!(
            words("海康威视 camera 摄像"),
            [
                "海", "康", "海康", "威", "康威", "视", "威视", "camera", "摄", "像", "摄像"
            ]
        );
        assert_eq!(words("iPhone手机"), ["iphone", "手", "机", "手机"]);
    }

    #[test]
    fn numbers_are_differences_in_base_36() {
        assert_eq!(postings(&[0, 1, 2, 40, 1336]), "0,1,1,12,100");
        assert_eq!(ranks(vec![3, 1, 3, 2]), "2,0,2,1");
    }

    #[test]
    fn strings_sort_as_javascript_compares_them() {
        // U+FF5E is one UTF-16 unit, U+1F600 two surrogates (0xD83D...): JavaScript puts
        // the emoji first, code point order the other way round.
        assert_eq!(js_order("\u{1F600}", "\u{FF5E}"), Ordering::Less);
        assert_eq!(js_order("abc", "abd"), Ordering::Less);
    }
}
