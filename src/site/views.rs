//! What each page shows, prepared for the templates: links already relative, labels
//! already worded, Markdown already sanitised, so that templates stay simple and a
//! user's template override cannot get the safety rules wrong.

use super::markdown;
use crate::Checked;
use crate::analysis::SHORT_LIST;
use crate::check::Related;
use crate::model::{Balance, Relation, Stance, Verdict};
use crate::rules::is_web_url;
use crate::views::{self, ClaimSummary, EvidenceView, SideView};
use crate::wording;
use serde::Serialize;

/// Links from a page to the site's root: `""` at the top, `"../"` one folder down.
#[derive(Clone, Copy)]
pub struct Root(pub &'static str);

impl Root {
    pub const TOP: Root = Root("");
    pub const NESTED: Root = Root("../");

    pub fn claim(self, id: &str) -> String {
        format!("{}claims/{id}.html", self.0)
    }
    pub fn source(self, id: &str) -> String {
        format!("{}sources/{id}.html", self.0)
    }
    pub fn entity(self, id: &str) -> String {
        format!("{}entities/{id}.html", self.0)
    }
    /// The first page of a record's full list (ids never hold a `.`).
    pub fn list(self, id: &str, name: &str) -> String {
        format!("{}lists/{id}.{name}.html", self.0)
    }
}

/// What a page leaves out of a long list, and the page that has all of it.
#[derive(Serialize)]
pub struct More {
    /// How many items are left out.
    pub count: usize,
    pub href: String,
}

/// The first [`SHORT_LIST`] of `items` as views, and what is left out of `total`: a
/// record page never shows more of a list, so that no page grows with other records
/// and no list is repeated on every page that shares it.
fn bounded<I: Iterator, T>(
    total: usize,
    items: I,
    full: impl FnOnce() -> String,
    view: impl FnMut(I::Item) -> T,
) -> (Vec<T>, Option<More>) {
    let shown: Vec<T> = items.take(SHORT_LIST).map(view).collect();
    let more = (total > shown.len()).then(|| More {
        count: total - shown.len(),
        href: full(),
    });
    (shown, more)
}

#[derive(Serialize)]
pub struct Label {
    pub word: &'static str,
    pub label: &'static str,
}

pub fn verdict_label(verdict: Verdict) -> Label {
    Label {
        word: verdict.as_str(),
        label: wording::verdict(verdict),
    }
}

pub fn balance_label(balance: Balance) -> Label {
    Label {
        word: balance.as_str(),
        label: wording::balance(balance),
    }
}

/// Only absolute http(s) URLs ever become links.
fn web_url(url: Option<&str>) -> Option<String> {
    url.filter(|u| is_web_url(u)).map(str::to_owned)
}

fn md(text: Option<&str>) -> Option<String> {
    text.map(markdown::to_html)
        .filter(|html| !html.trim().is_empty())
}

#[derive(Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub reliability: Option<Grade>,
    pub href: String,
    /// The kind, publisher and date as one line ("news · Reuters · 2019-03-02"): shown
    /// beside every source link, worded once here rather than in every template.
    pub meta: String,
}

#[derive(Serialize)]
pub struct ClaimRef {
    pub id: String,
    pub statement: String,
    pub href: String,
    pub balance: Label,
    pub verdict: Option<Label>,
}

#[derive(Serialize)]
pub struct Grade {
    pub grade: String,
    pub label: &'static str,
}

/// The summary of one side of the evidence: "3 sources, 1 independent origin".
#[derive(Serialize)]
pub struct Side {
    pub items: usize,
    pub sources: usize,
    pub independent: usize,
    pub text: String,
}

fn side(view: &SideView<'_>) -> Side {
    Side {
        items: view.items,
        sources: view.sources,
        independent: view.independent(),
        text: view.summary.clone(),
    }
}

/// Looks records up by id for the views.
pub struct Lookup<'a> {
    pub checked: &'a Checked,
    /// The source that gives each long set of origins, and how many sources hold it,
    /// by set.
    set_owners: std::collections::HashMap<usize, (usize, usize)>,
}

impl<'a> Lookup<'a> {
    pub fn new(checked: &'a Checked) -> Self {
        let analysis = &checked.analysis;
        let mut set_owners = std::collections::HashMap::new();
        for (set, &owner) in analysis.source_origins.iter().zip(&analysis.origin_owner) {
            if set.len() > SHORT_LIST {
                set_owners.entry(set.key()).or_insert((owner, 0)).1 += 1;
            }
        }
        Lookup {
            checked,
            set_owners,
        }
    }

    pub fn entity_ref(&self, id: &str, root: Root) -> EntityRef {
        EntityRef {
            id: id.to_owned(),
            name: views::entity_name(self.checked, id).to_owned(),
            href: root.entity(id),
        }
    }

    pub fn source_ref(&self, index: usize, root: Root) -> SourceRef {
        let s = &self.checked.repo.sources[index];
        SourceRef {
            id: s.id.value.clone(),
            title: s.title.clone(),
            kind: s.kind.as_str(),
            publisher: s.publisher.clone(),
            published: s.published.map(|d| d.to_string()),
            meta: views::source_facts(s).join(" · "),
            reliability: s.reliability.map(|r| Grade {
                grade: r.as_str().to_owned(),
                label: wording::reliability(r),
            }),
            href: root.source(&s.id.value),
        }
    }

    pub fn claim_ref(&self, index: usize, root: Root) -> ClaimRef {
        let c = &self.checked.repo.claims[index];
        ClaimRef {
            id: c.id.value.clone(),
            statement: c.statement.clone(),
            href: root.claim(&c.id.value),
            balance: balance_label(self.checked.analysis.claims[index].balance),
            verdict: c.verdict.as_ref().map(|v| verdict_label(v.value)),
        }
    }
}

/// A row of the claims table on the index page.
#[derive(Serialize)]
pub struct ClaimRow {
    pub id: String,
    pub href: String,
    pub statement: String,
    pub claimant: Option<EntityRef>,
    pub date: Option<String>,
    pub verdict: Option<Label>,
    pub balance: Label,
    pub supports: Side,
    pub contradicts: Side,
    pub tags: Vec<String>,
    /// "1 of 2 quotes verified against local copies", when any was checked.
    pub quotes: Option<String>,
}

pub fn claim_row(lookup: &Lookup<'_>, index: usize, root: Root) -> ClaimRow {
    let row = views::claim_summary(lookup.checked, index);
    let claim = row.claim;
    ClaimRow {
        id: claim.id.value.clone(),
        href: root.claim(&claim.id.value),
        statement: claim.statement.clone(),
        claimant: claimant(lookup, &row, root),
        date: claim.date.map(|d| d.to_string()),
        verdict: row.verdict.map(verdict_label),
        balance: balance_label(row.balance),
        supports: side(&row.supports),
        contradicts: side(&row.contradicts),
        tags: claim.tags.clone(),
        quotes: views::QuoteCount::of([row.facts]).sentence(),
    }
}

fn claimant(lookup: &Lookup<'_>, row: &ClaimSummary<'_>, root: Root) -> Option<EntityRef> {
    let claimant = row.claim.claimant.as_ref()?;
    Some(lookup.entity_ref(&claimant.value, root))
}

/// The quote check beside a quote on a claim page.
#[derive(Serialize)]
pub struct QuoteCheckPart {
    pub text: String,
    pub found: bool,
    pub sha256: Option<String>,
}

/// One evidence item on a claim page.
#[derive(Serialize)]
pub struct EvidencePart {
    pub stance: &'static str,
    pub quote: Option<String>,
    pub quote_original: Option<String>,
    pub language: Option<String>,
    pub locator: Option<String>,
    pub credibility: Option<Grade>,
    pub note: Option<String>,
    pub own_words: bool,
    pub source: Option<SourceRef>,
    pub source_id: String,
    /// The source it was read in (`via`).
    pub via: Option<SourceRef>,
    pub page: Option<String>,
    /// Whether the quote stands in the local copy ([`views::QuoteLine`]).
    pub check: Option<QuoteCheckPart>,
    pub url: Option<String>,
    /// The first archived copy (kept for templates written before `archives`);
    /// `archives` has them all.
    pub archive_url: Option<String>,
    pub archives: Vec<ArchiveView>,
}

/// What the last `corroborate links` found of a source's URLs.
#[derive(Serialize)]
pub struct LinksChecked {
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
    /// "link ok, archived copy (2019-04-10) ok".
    pub found: String,
}

/// An archived copy of a source on the web, as the pages link it.
#[derive(Serialize)]
pub struct ArchiveView {
    pub url: String,
    pub captured: Option<String>,
}

/// The archived copies of a source that can be linked (http or https), in order.
fn archive_views(source: &crate::model::Source) -> Vec<ArchiveView> {
    source
        .archives()
        .filter_map(|a| {
            Some(ArchiveView {
                url: web_url(Some(a.url.value.as_str()))?,
                captured: a.captured.map(|d| d.to_string()),
            })
        })
        .collect()
}

fn evidence_view(lookup: &Lookup<'_>, evidence: &EvidenceView<'_>, root: Root) -> EvidencePart {
    let item = evidence.item;
    let index = evidence.source;
    let source = index.map(|i| &lookup.checked.repo.sources[i]);
    EvidencePart {
        stance: item.stance.as_str(),
        quote: item.quote.as_ref().map(|q| q.value.clone()),
        quote_original: item.quote_original.as_ref().map(|q| q.value.clone()),
        language: source.and_then(|s| s.language.clone()),
        locator: item.locator.clone(),
        credibility: item.credibility.map(|n| Grade {
            grade: n.to_string(),
            label: wording::credibility(n),
        }),
        note: md(item.note.as_deref()),
        own_words: evidence.own_words,
        source: index.map(|i| lookup.source_ref(i, root)),
        source_id: item.source.value.clone(),
        via: evidence.via.map(|i| lookup.source_ref(i, root)),
        page: item.page.as_ref().map(|p| p.value.to_string()),
        check: evidence.check.as_ref().map(|c| QuoteCheckPart {
            text: c.text.clone(),
            found: c.found,
            sha256: c.sha256.clone(),
        }),
        url: web_url(
            source
                .and_then(|s| s.url.as_ref())
                .map(|u| u.value.as_str()),
        ),
        archive_url: web_url(
            source
                .and_then(|s| s.archives().next())
                .map(|a| a.url.value.as_str()),
        ),
        archives: source.map(archive_views).unwrap_or_default(),
    }
}

/// The origins of one side, and a plain warning when several sources are one origin.
#[derive(Serialize)]
pub struct OriginsView {
    pub stance: &'static str,
    pub origins: Vec<SourceRef>,
    pub origins_more: Option<More>,
    pub warning: Option<String>,
    /// "read in 2 places", and the places, when some item was read through another
    /// source (see [`views::SideView::read_in`]).
    pub read_in: Option<String>,
    pub channels: Vec<SourceRef>,
    pub channel_warning: Option<String>,
}

#[derive(Serialize)]
pub struct RelatedView {
    pub relation: &'static str,
    pub claim: ClaimRef,
    /// The other claim names this one (rather than this one naming it).
    pub naming: bool,
}

#[derive(Serialize)]
pub struct ClaimPage {
    pub id: String,
    pub statement: String,
    pub claimant: Option<EntityRef>,
    pub about: Vec<EntityRef>,
    pub date: Option<String>,
    pub appearance: Option<SourceRef>,
    pub tags: Vec<String>,
    pub verdict: Option<Label>,
    pub verdict_note: Option<String>,
    pub verdict_conflict: Option<String>,
    pub balance: Label,
    pub supports: Side,
    pub contradicts: Side,
    pub context_count: usize,
    pub evidence_supports: Vec<EvidencePart>,
    pub evidence_contradicts: Vec<EvidencePart>,
    pub evidence_context: Vec<EvidencePart>,
    pub origins: Vec<OriginsView>,
    pub related: Vec<RelatedView>,
    pub related_from: Vec<RelatedView>,
    /// Related claims left out of both lists.
    pub related_more: Option<More>,
}

pub fn claim_page(lookup: &Lookup<'_>, index: usize) -> ClaimPage {
    let root = Root::NESTED;
    let view = views::claim(lookup.checked, index);
    let row = &view.summary;
    let claim = row.claim;
    let items = |stance: Stance| -> Vec<EvidencePart> {
        view.evidence[stance]
            .iter()
            .map(|e| evidence_view(lookup, e, root))
            .collect()
    };
    let origins = row
        .sides()
        .into_iter()
        .filter(|side| side.sources > 0)
        .map(|side| {
            let (shown, more) = bounded(
                side.origins.len(),
                side.origins.iter(),
                || lookup.full_list(List::ClaimOrigins(index, side.stance), root),
                |&s| lookup.source_ref(s, root),
            );
            OriginsView {
                stance: side.stance.as_str(),
                origins: shown,
                origins_more: more,
                warning: side.warning.clone(),
                read_in: side.read_in.clone(),
                channels: match side.read_in {
                    Some(_) => side
                        .channels
                        .iter()
                        .take(SHORT_LIST)
                        .map(|&s| lookup.source_ref(s, root))
                        .collect(),
                    None => Vec::new(),
                },
                channel_warning: side.channel_warning.clone(),
            }
        })
        .collect();
    // One list in two parts, bounded together: the claims it names come first.
    let Related { named, naming } = &view.related;
    let related: Vec<RelatedView> = named
        .iter()
        .take(SHORT_LIST)
        .map(|&r| related_view(lookup, r, false, root))
        .collect();
    let (related_from, related_more) = bounded(
        named.len() - related.len() + naming.len(),
        naming.iter().take(SHORT_LIST - related.len()),
        || lookup.full_list(List::Related(index), root),
        |&r| related_view(lookup, r, true, root),
    );
    ClaimPage {
        id: claim.id.value.clone(),
        statement: claim.statement.clone(),
        claimant: claimant(lookup, row, root),
        about: claim
            .about
            .iter()
            .map(|a| lookup.entity_ref(&a.value, root))
            .collect(),
        date: claim.date.map(|d| d.to_string()),
        appearance: view.appearance.map(|i| lookup.source_ref(i, root)),
        tags: claim.tags.clone(),
        verdict: row.verdict.map(verdict_label),
        verdict_note: md(claim.verdict_note.as_deref()),
        verdict_conflict: view.verdict_conflict.clone(),
        balance: balance_label(row.balance),
        supports: side(&row.supports),
        contradicts: side(&row.contradicts),
        context_count: view.evidence.context.len(),
        evidence_supports: items(Stance::Supports),
        evidence_contradicts: items(Stance::Contradicts),
        evidence_context: items(Stance::Context),
        origins,
        related,
        related_from,
        related_more,
    }
}

fn related_view(
    lookup: &Lookup<'_>,
    (relation, claim): (Relation, usize),
    naming: bool,
    root: Root,
) -> RelatedView {
    RelatedView {
        relation: relation.as_str(),
        claim: lookup.claim_ref(claim, root),
        naming,
    }
}

/// A claim a source bears on, and how.
#[derive(Serialize)]
pub struct Bearing {
    pub claim: ClaimRef,
    pub stances: Vec<&'static str>,
    pub appearance: bool,
}

#[derive(Serialize)]
pub struct SourcePage {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub publisher: Option<String>,
    pub by: Option<EntityRef>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// The first archived copy (kept for templates written before `archives`);
    /// `archives` has them all.
    pub archive_url: Option<String>,
    pub archives: Vec<ArchiveView>,
    /// When `corroborate links` last checked them, and what it found (`views::links_checked`).
    pub links_checked: Option<LinksChecked>,
    /// The DOI, and where it resolves.
    pub doi: Option<String>,
    pub doi_url: Option<String>,
    pub published: Option<String>,
    pub accessed: Option<String>,
    pub language: Option<String>,
    pub reliability: Option<Grade>,
    /// The first local copy and its checksum (kept for templates written before
    /// `files`); `files` has them all.
    pub file: Option<String>,
    pub sha256: Option<String>,
    pub files: Vec<CopyView>,
    pub notes: Option<String>,
    pub cites: Vec<SourceRef>,
    pub cites_more: Option<More>,
    pub cited_by: Vec<SourceRef>,
    pub cited_by_more: Option<More>,
    /// The origins it traces back to, itself left out, and how many there are.
    pub origins: Vec<SourceRef>,
    pub origins_count: usize,
    pub origins_more: Option<More>,
    pub is_origin: bool,
    pub claims: Vec<Bearing>,
    pub claims_more: Option<More>,
}

/// A local copy as a source page shows it.
#[derive(Serialize)]
pub struct CopyView {
    pub path: String,
    pub sha256: Option<String>,
    pub role: &'static str,
    /// What the page says beside the path: the role unless it is the original, and
    /// when the copy was made ("archive, captured 2019-04-10").
    pub note: Option<String>,
}

fn copy_view(copy: crate::model::SourceCopy<'_>) -> CopyView {
    CopyView {
        path: copy.path.value.clone(),
        sha256: copy.sha256.map(|h| h.value.clone()),
        role: copy.role.as_str(),
        note: views::copy_note(&copy),
    }
}

/// The origins a source's page names: its set of origins without itself, and how many.
fn shown_origins(checked: &Checked, index: usize) -> (usize, impl Iterator<Item = usize>) {
    let set = &checked.analysis.source_origins[index];
    let total = set.len() - usize::from(set.contains(&index));
    (total, set.iter().copied().filter(move |&o| o != index))
}

fn bearing_view(lookup: &Lookup<'_>, b: &crate::check::Bearing, root: Root) -> Bearing {
    Bearing {
        claim: lookup.claim_ref(b.claim, root),
        stances: b.stances.iter().map(|s| s.as_str()).collect(),
        appearance: b.appearance,
    }
}

pub fn source_page(lookup: &Lookup<'_>, index: usize) -> SourcePage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let view = views::source(checked, index);
    let s = view.source;
    let source_ref = |&i: &usize| lookup.source_ref(i, root);
    let full = |list: List| move || lookup.full_list(list, root);
    let (cites, cites_more) = bounded(
        view.cites.len(),
        view.cites.iter(),
        full(List::Cites(index)),
        source_ref,
    );
    let (cited_by, cited_by_more) = bounded(
        view.cited_by.len(),
        view.cited_by.iter(),
        full(List::CitedBy(index)),
        source_ref,
    );
    let (origins_count, origins) = shown_origins(checked, index);
    let (origins, origins_more) = bounded(
        origins_count,
        origins,
        full(List::Origins(checked.analysis.origin_owner[index])),
        |i| lookup.source_ref(i, root),
    );
    let (claims, claims_more) = bounded(
        view.bearings.len(),
        view.bearings.iter(),
        full(List::Bearings(index)),
        |b| bearing_view(lookup, b, root),
    );
    SourcePage {
        id: s.id.value.clone(),
        title: s.title.clone(),
        kind: s.kind.as_str(),
        publisher: s.publisher.clone(),
        by: s.by.as_ref().map(|b| lookup.entity_ref(&b.value, root)),
        author: s.author.clone(),
        url: web_url(s.url.as_ref().map(|u| u.value.as_str())),
        archive_url: web_url(s.archives().next().map(|a| a.url.value.as_str())),
        archives: archive_views(s),
        links_checked: views::links_checked(checked, s)
            .map(|(date, found)| LinksChecked { date, found }),
        doi: s.doi.as_ref().map(|d| d.value.clone()),
        doi_url: s.doi.as_ref().and_then(|d| views::doi_url(&d.value)),
        published: s.published.map(|d| d.to_string()),
        accessed: s.accessed.map(|d| d.to_string()),
        language: s.language.clone(),
        reliability: s.reliability.map(|r| Grade {
            grade: r.as_str().to_owned(),
            label: wording::reliability(r),
        }),
        file: s.copies().next().map(|c| c.path.value.clone()),
        sha256: s
            .copies()
            .next()
            .and_then(|c| c.sha256.map(|h| h.value.clone())),
        files: s.copies().map(copy_view).collect(),
        notes: md(s.notes.as_deref()),
        cites,
        cites_more,
        cited_by,
        cited_by_more,
        is_origin: view.is_origin,
        origins,
        origins_count,
        origins_more,
        claims,
        claims_more,
    }
}

#[derive(Serialize)]
pub struct EntityPage {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub aliases: Vec<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub claims_made: Vec<ClaimRef>,
    pub claims_made_more: Option<More>,
    pub claims_about: Vec<ClaimRef>,
    pub claims_about_more: Option<More>,
    pub sources: Vec<SourceRef>,
    pub sources_more: Option<More>,
}

pub fn entity_page(lookup: &Lookup<'_>, index: usize) -> EntityPage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let view = views::entity(checked, index);
    let (e, links) = (view.entity, &view.links);
    let full = |list: List| move || lookup.full_list(list, root);
    let claim_ref = |&c: &usize| lookup.claim_ref(c, root);
    let (claims_made, claims_made_more) = bounded(
        links.made.len(),
        links.made.iter(),
        full(List::Made(index)),
        claim_ref,
    );
    let (claims_about, claims_about_more) = bounded(
        links.about.len(),
        links.about.iter(),
        full(List::About(index)),
        claim_ref,
    );
    let (sources, sources_more) = bounded(
        links.produced.len(),
        links.produced.iter(),
        full(List::Produced(index)),
        |&s| lookup.source_ref(s, root),
    );
    EntityPage {
        id: e.id.value.clone(),
        name: e.name.clone(),
        kind: e.kind.as_str(),
        aliases: e.aliases.clone(),
        url: web_url(e.url.as_ref().map(|u| u.value.as_str())),
        description: md(e.description.as_deref()),
        claims_made,
        claims_made_more,
        claims_about,
        claims_about_more,
        sources,
        sources_more,
    }
}

/// A list that a record's page shows the start of. Longer than [`SHORT_LIST`], it is
/// given in full on pages of its own, `lists/ID.NAME.html` (then `-2`, `-3`, …),
/// written once in the site: the origins of a source on the pages of the source that
/// gives its set (see [`crate::analysis::origin_owners`]), so that a set shared by
/// many sources is listed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Cites(usize),
    CitedBy(usize),
    /// The set of origins given by this source.
    Origins(usize),
    /// The claims a source bears on.
    Bearings(usize),
    Made(usize),
    About(usize),
    Produced(usize),
    Related(usize),
    /// The origins of one side of a claim, when no source gives that set.
    ClaimOrigins(usize, Stance),
}

/// The items of a list, as record indexes.
pub enum Items<'a> {
    Sources(std::borrow::Cow<'a, [usize]>),
    Claims(Vec<usize>),
    Bearings(Vec<crate::check::Bearing>),
    Related(Related),
}

impl Items<'_> {
    pub fn len(&self) -> usize {
        match self {
            Items::Sources(list) => list.len(),
            Items::Claims(list) => list.len(),
            Items::Bearings(list) => list.len(),
            Items::Related(related) => related.len(),
        }
    }
}

impl List {
    /// The record whose list it is: its id, and a link to its page from `root`.
    fn record(self, lookup: &Lookup<'_>, root: Root) -> (String, String, String) {
        let checked = lookup.checked;
        match self {
            List::Cites(i) | List::CitedBy(i) | List::Origins(i) | List::Bearings(i) => {
                let s = &checked.repo.sources[i];
                (
                    s.id.value.clone(),
                    s.title.clone(),
                    root.source(&s.id.value),
                )
            }
            List::Made(i) | List::About(i) | List::Produced(i) => {
                let e = &checked.repo.entities[i];
                (e.id.value.clone(), e.name.clone(), root.entity(&e.id.value))
            }
            List::Related(i) | List::ClaimOrigins(i, _) => {
                let c = &checked.repo.claims[i];
                (
                    c.id.value.clone(),
                    c.statement.clone(),
                    root.claim(&c.id.value),
                )
            }
        }
    }

    /// The list's name in its file name.
    fn name(self) -> &'static str {
        match self {
            List::Cites(_) => "cites",
            List::CitedBy(_) => "cited-by",
            List::Origins(_) => "origins",
            List::Bearings(_) => "claims",
            List::Made(_) => "made",
            List::About(_) => "about",
            List::Produced(_) => "produced",
            List::Related(_) => "related",
            List::ClaimOrigins(_, Stance::Supports) => "supports-origins",
            List::ClaimOrigins(..) => "contradicts-origins",
        }
    }

    /// The path of page `number` of the list in the site.
    pub fn path(self, lookup: &Lookup<'_>, number: usize) -> String {
        let (id, _, _) = self.record(lookup, Root::TOP);
        super::page_file(&format!("lists/{id}.{}", self.name()), number)
    }

    pub fn items(self, checked: &Checked) -> Items<'_> {
        let analysis = &checked.analysis;
        match self {
            List::Cites(i) => Items::Sources(checked.cites(i).into()),
            List::CitedBy(i) => Items::Sources(analysis.cited_by[i].as_slice().into()),
            List::Origins(i) => Items::Sources(analysis.source_origins[i].as_slice().into()),
            List::Bearings(i) => Items::Bearings(checked.bearings(i)),
            List::Made(i) => Items::Claims(checked.entity_links(i).made),
            List::About(i) => Items::Claims(checked.entity_links(i).about),
            List::Produced(i) => Items::Sources(checked.entity_links(i).produced.into()),
            List::Related(i) => Items::Related(checked.related(i)),
            List::ClaimOrigins(i, stance) => {
                Items::Sources(analysis.claims[i].origins[stance].as_slice().into())
            }
        }
    }

    /// What the list's pages say it is.
    fn heading(self, name: &str) -> String {
        match self {
            List::Cites(_) => format!("Sources that {name} draws on"),
            List::CitedBy(_) => format!("Sources that cite {name}"),
            List::Origins(_) => format!("The origins that {name} traces back to"),
            List::Bearings(_) => format!("Claims that {name} bears on"),
            List::Made(_) => format!("Claims made by {name}"),
            List::About(_) => format!("Claims about {name}"),
            List::Produced(_) => format!("Sources produced by {name}"),
            List::Related(_) => format!("Claims related to “{name}”"),
            List::ClaimOrigins(_, Stance::Supports) => {
                format!("Where the supporting evidence of “{name}” comes from")
            }
            List::ClaimOrigins(..) => {
                format!("Where the contradicting evidence of “{name}” comes from")
            }
        }
    }
}

impl Lookup<'_> {
    /// A link from `root` to the first page of a full list. The origins of a claim's
    /// side are those of a source when a source gives that set.
    pub fn full_list(&self, list: List, root: Root) -> String {
        let list = match list {
            List::ClaimOrigins(claim, stance) => self
                .origins_given_by(&self.checked.analysis.claims[claim].origins[stance])
                .map_or(list, List::Origins),
            other => other,
        };
        let (id, _, _) = list.record(self, Root::TOP);
        root.list(&id, list.name())
    }

    /// The source that gives the set of origins `set` in full, if a source holds it.
    fn origins_given_by(&self, set: &crate::analysis::OriginSet) -> Option<usize> {
        self.set_owners.get(&set.key()).map(|&(owner, _)| owner)
    }

    /// Every list too long for the page of its record, each once, with its length.
    pub fn long_lists(&self) -> Vec<(List, usize)> {
        let checked = self.checked;
        let analysis = &checked.analysis;
        let mut lists = Vec::new();
        let mut add = |list: List| {
            let len = list.items(checked).len();
            if len > SHORT_LIST {
                lists.push((list, len));
            }
        };
        for i in 0..checked.repo.sources.len() {
            for list in [List::Cites(i), List::CitedBy(i), List::Bearings(i)] {
                add(list);
            }
            if analysis.origin_owner[i] == i {
                add(List::Origins(i));
            }
        }
        for i in 0..checked.repo.entities.len() {
            for list in [List::Made(i), List::About(i), List::Produced(i)] {
                add(list);
            }
        }
        for (i, facts) in analysis.claims.iter().enumerate() {
            add(List::Related(i));
            for (stance, set) in facts.origins.weighed() {
                if self.origins_given_by(set).is_none() {
                    add(List::ClaimOrigins(i, stance));
                }
            }
        }
        lists
    }
}

/// The record a full list belongs to.
#[derive(Serialize)]
pub struct RecordLink {
    pub name: String,
    pub href: String,
}

/// One page of a full list: at most [`super::PAGE_SIZE`] items, of one kind.
#[derive(Serialize)]
pub struct ListPage {
    pub heading: String,
    pub record: RecordLink,
    pub total: usize,
    /// For a set of origins: how many sources trace back to exactly these.
    pub shared_by: Option<usize>,
    pub sources: Vec<SourceRef>,
    pub claims: Vec<ClaimRef>,
    pub bearings: Vec<Bearing>,
    pub related: Vec<RelatedView>,
}

pub fn list_page(lookup: &Lookup<'_>, list: List, number: usize) -> ListPage {
    let root = Root::NESTED;
    let checked = lookup.checked;
    let (_, name, href) = list.record(lookup, root);
    let items = list.items(checked);
    let skip = number.saturating_sub(1) * super::PAGE_SIZE;
    let page = |range: std::ops::Range<usize>| {
        skip.min(range.end)..(skip + super::PAGE_SIZE).min(range.end)
    };
    let mut view = ListPage {
        heading: list.heading(&name),
        record: RecordLink { name, href },
        total: items.len(),
        shared_by: match list {
            List::Origins(_) => lookup
                .set_owners
                .get(&checked.analysis.source_origins[list_record(list)].key())
                .map(|&(_, count)| count),
            _ => None,
        },
        sources: Vec::new(),
        claims: Vec::new(),
        bearings: Vec::new(),
        related: Vec::new(),
    };
    match &items {
        Items::Sources(list) => {
            view.sources = list[page(0..list.len())]
                .iter()
                .map(|&s| lookup.source_ref(s, root))
                .collect();
        }
        Items::Claims(list) => {
            view.claims = list[page(0..list.len())]
                .iter()
                .map(|&c| lookup.claim_ref(c, root))
                .collect();
        }
        Items::Bearings(list) => {
            view.bearings = list[page(0..list.len())]
                .iter()
                .map(|b| bearing_view(lookup, b, root))
                .collect();
        }
        Items::Related(related) => {
            let range = page(0..items.len());
            view.related = related
                .iter()
                .skip(range.start)
                .take(range.len())
                .map(|(relation, claim, naming)| {
                    related_view(lookup, (relation, claim), naming, root)
                })
                .collect();
        }
    }
    view
}

/// The index of the record whose list it is.
fn list_record(list: List) -> usize {
    match list {
        List::Cites(i)
        | List::CitedBy(i)
        | List::Origins(i)
        | List::Bearings(i)
        | List::Made(i)
        | List::About(i)
        | List::Produced(i)
        | List::Related(i)
        | List::ClaimOrigins(i, _) => i,
    }
}
