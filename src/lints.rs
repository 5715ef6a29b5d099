//! The lints: things that are allowed but usually mean the case is weaker than it
//! looks. Warnings by default; `corroborate.yaml` can allow or deny each one.

use crate::analysis::{Analysis, QuoteCheck};
use crate::config::{Config, LintLevel};
use crate::diagnostics::{Diagnostic, Lint, Pos, Severity};
use crate::graph::{Graph, Link};
use crate::load::Repository;
use crate::model::{Balance, Stance, Verdict};
use crate::text::shown;
use petgraph::Direction;
use rayon::prelude::*;

pub fn lints(repo: &Repository, g: &Graph, analysis: &Analysis) -> Vec<Diagnostic> {
    // Each record's lints depend on nothing but the record and the graph: all cores.
    let new = || Lints {
        config: &repo.config,
        repo,
        diagnostics: Vec::new(),
    };
    let sources: Vec<Lints<'_>> = repo
        .sources
        .par_iter()
        .enumerate()
        .fold(new, |mut out, (i, source)| {
        let used = g
            .graph
            .edges_directed(g.source_node(i), Direction::Incoming)
            .any(|e| {
                matches!(
                    e.weight(),
                    Link::Evidence(_) | Link::Appearance | Link::Cites | Link::Via
                )
            });
        if !used {
            out.emit(Lint::UnusedSource, source.at.file, source.id.pos, &source.id.value, format!(
                "no claim's evidence or appearance, and no source's `cites`, names the source `{}`; use it or remove it",
                shown(&source.id.value)
            ));
        }
        if let Some(url) = &source.url
            && !source.has_archives()
            && !source.has_copies()
        {
            out.emit(Lint::MissingArchive, source.at.file, url.pos, &source.id.value,
                    "this source has a `url` but no archived copy (`archive_url` or `archives`) and no local `file`; web pages change and vanish, so save a copy (for example on web.archive.org) and add it".to_owned());
        }
        out
        })
        .collect();
    let claims: Vec<Lints<'_>> = repo
        .claims
        .par_iter()
        .zip(&analysis.claims)
        .fold(new, |mut out, (claim, facts)| {
        let id = claim.id.value.as_str();
        let file = claim.at.file;
        if facts.evidence.supports + facts.evidence.contradicts == 0 {
            out.emit(Lint::ClaimWithoutEvidence, file, claim.id.pos, id, format!(
                "the claim `{}` has no supporting or contradicting evidence; add an evidence item with stance `supports` or `contradicts`",
                shown(id)
            ));
        }
        if let Some(verdict) = &claim.verdict {
            let conflict = match verdict.value {
                Verdict::True | Verdict::MostlyTrue => facts.balance == Balance::Contradicted,
                Verdict::False | Verdict::MostlyFalse => facts.balance == Balance::Supported,
                _ => false,
            };
            if conflict {
                out.emit(Lint::VerdictConflict, file, verdict.pos, id, format!(
                    "the verdict `{}` disagrees with the evidence, which is all {}; recheck the verdict or add the evidence it rests on",
                    verdict.value,
                    if facts.balance == Balance::Supported { "supporting" } else { "contradicting" }
                ));
            }
        }
        for (stance, sources) in facts.sources.weighed() {
            let origins = &facts.origins[stance];
            if sources.len() < 2 || origins.len() != 1 {
                continue;
            }
            let origin = &repo.sources[origins[0]].id.value;
            let names: Vec<String> = sources
                .iter()
                .map(|&s| format!("`{}`", shown(&repo.sources[s].id.value)))
                .collect();
            let pos = second_distinct_source(claim, stance).unwrap_or(claim.id.pos);
            out.emit(Lint::CircularReporting, file, pos, id, format!(
                "{} sources {} this claim ({}), but all trace back to one origin, `{}`: they are one independent origin, not {}",
                sources.len(),
                if stance == Stance::Supports { "support" } else { "contradict" },
                names.join(", "),
                shown(origin),
                sources.len()
            ));
        }
        for (stance, channels) in facts.channels.weighed() {
            let origins = facts.independent(stance);
            if origins < 2 || channels.len() != 1 {
                continue;
            }
            out.emit(Lint::SingleChannel, file, claim.id.pos, id, format!(
                "all {origins} {} origins were read in `{}`; find one of them yourself",
                if stance == Stance::Supports { "supporting" } else { "contradicting" },
                shown(&repo.sources[channels[0]].id.value),
            ));
        }
        for (item, item_facts) in claim.evidence.iter().zip(&facts.items) {
            if let (Some(via), Some(read_in), Some(source)) =
                (&item.via, item_facts.channel, item_facts.source)
                && read_in != source
                && !g.draws_on(read_in, source)
            {
                out.emit(Lint::ViaNotCiting, file, via.pos, id, format!(
                    "`{}`, where this evidence was read, does not cite `{}`, directly or through `cites`; add `{}` to its `cites` if it draws on it, or correct `via`",
                    shown(&via.value),
                    shown(&item.source.value),
                    shown(&item.source.value),
                ));
            }
        }
        for (item, item_facts) in claim.evidence.iter().zip(&facts.items) {
            quote_lints(item, &item_facts.quote_check, file, id, &mut out);
        }
        for item in &claim.evidence {
            if item.stance != Stance::Context && item.quote.is_none() {
                out.emit(Lint::MissingQuote, file, item.pos, id, format!(
                    "this evidence from `{}` {} the claim but quotes nothing; add the exact words as `quote`",
                    shown(&item.source.value),
                    item.stance
                ));
            }
        }
        out
        })
        .collect();
    sources
        .into_iter()
        .chain(claims)
        .flat_map(|l| l.diagnostics)
        .collect()
}

/// The place of the evidence item that names the second distinct source of a stance:
/// the first one that adds no independent origin.
fn second_distinct_source(claim: &crate::model::Claim, stance: Stance) -> Option<Pos> {
    let mut first: Option<&str> = None;
    for item in claim.evidence.iter().filter(|e| e.stance == stance) {
        match first {
            None => first = Some(&item.source.value),
            Some(f) if f != item.source.value => return Some(item.source.pos),
            _ => {}
        }
    }
    None
}

struct Lints<'r> {
    config: &'r Config,
    repo: &'r Repository,
    diagnostics: Vec<Diagnostic>,
}

impl Lints<'_> {
    fn emit(&mut self, lint: Lint, file: u32, pos: Pos, id: &str, message: String) {
        let severity = match self.config.lint_level(lint) {
            LintLevel::Allow => return,
            LintLevel::Warn => Severity::Warning,
            LintLevel::Deny => Severity::Error,
        };
        let mut diagnostic =
            Diagnostic::lint(lint, self.repo.file(file), pos, message).with_id(Some(id));
        diagnostic.severity = severity;
        self.diagnostics.push(diagnostic);
    }
}

/// The lints of one item's quote check: not found (with the closest passage, so a slip
/// is mended at once), found on other pages than the item says, or not checkable.
fn quote_lints(
    item: &crate::model::Evidence,
    check: &QuoteCheck,
    file: u32,
    id: &str,
    out: &mut Lints<'_>,
) {
    let Some(quote) = item.quoted_text() else {
        return;
    };
    let which = if item.quote_original.is_some() {
        "quote_original"
    } else {
        "quote"
    };
    let read_in = &item.quoted_source().value;
    match check {
        QuoteCheck::NotFound {
            file: copy,
            closest,
        } => {
            let copy = copy.as_deref().unwrap_or("its local copies");
            let hint = match closest {
                Some(closest) => {
                    let page = closest
                        .page
                        .map(|p| format!(" (page {p})"))
                        .unwrap_or_default();
                    format!(
                        "; the closest passage{page} is \"{}\"",
                        crate::text::one_line(&shown(&closest.text), 200)
                    )
                }
                None => String::new(),
            };
            out.emit(Lint::QuoteNotFound, file, quote.pos, id, format!(
                "this {which} is not in `{}`, the local copy of `{}`{hint}; correct the quote to the copy's words (or pin the copy it comes from)",
                shown(copy),
                shown(read_in),
            ));
        }
        QuoteCheck::Verified { file: copy, .. } => {
            if let Some(page) = &item.page
                && let Some(pages) = crate::quote_check::page_mismatch(check, &page.value)
            {
                let list: Vec<String> = pages.iter().map(u32::to_string).collect();
                out.emit(
                    Lint::QuotePageMismatch,
                    file,
                    page.pos,
                    id,
                    format!(
                        "this {which} is in `{}`, but on {} {}, not on page {}; correct `page`",
                        shown(copy),
                        crate::wording::noun(pages.len(), "page", "pages"),
                        list.join(", "),
                        page.value,
                    ),
                );
            }
        }
        QuoteCheck::Unchecked(why) if item.stance != Stance::Context => {
            let reason = match why {
                crate::quote_check::Unchecked::NoQuote => return,
                crate::quote_check::Unchecked::NoTextCopy => format!(
                    "`{}` has no local copy with text (`.txt`, `.md`, `.html`, `.pdf`, `.warc`, `.wacz`, or `role: text`)",
                    shown(read_in)
                ),
                crate::quote_check::Unchecked::Unreadable(problems) => problems
                    .iter()
                    .map(|(path, problem)| format!("`{}` {}", shown(path), problem.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            };
            out.emit(
                Lint::UncheckedQuote,
                file,
                quote.pos,
                id,
                format!("this {which} could not be checked: {reason}"),
            );
        }
        QuoteCheck::Unchecked(_) | QuoteCheck::Withheld(_) => {}
    }
}

/// Copies whose text quotes would be looked for but that cannot be read: not UTF-8,
/// damaged, or past a limit of the extractors (a decompression bomb stops there). At
/// the copy's path, so that the researcher sees why its quotes go unchecked; a scan
/// without text is `unchecked-quote`'s business instead.
pub fn copy_lints(repo: &Repository, checks: &crate::analysis::QuoteChecks) -> Vec<Diagnostic> {
    let mut out = Lints {
        config: &repo.config,
        repo,
        diagnostics: Vec::new(),
    };
    for (index, source) in repo.sources.iter().enumerate() {
        for (path, problem) in checks.unreadable(index) {
            // A scan is `unchecked-quote`'s business; a copy that cannot be opened is
            // already an error of `check` (missing-file and the like).
            if problem.is_no_text() || problem.kind == "unreadable" {
                continue;
            }
            let Some(place) = source.copies().find(|c| &c.path.value == path) else {
                continue;
            };
            out.emit(
                Lint::UnreadableCopy,
                source.at.file,
                place.path.pos,
                &source.id.value,
                format!(
                    "`{}` {}; quotes read in `{}` are not checked against it",
                    shown(path),
                    problem.message,
                    shown(&source.id.value),
                ),
            );
        }
    }
    out.diagnostics
}
