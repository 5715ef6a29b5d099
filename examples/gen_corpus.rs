//! A deterministic generator of synthetic research repositories in the FORMAT.md v1
//! shape, for benchmarks at scale (the Rust counterpart of the shared
//! `bench/gen_corpus.py`, with the same proportions but its own random stream).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --claims N --out DIR [--files F] [--seed S] [--argdown FILE] [--copies]
//! ```
//!
//! Layout written under DIR:
//!
//! ```text
//! corroborate.yaml
//! claims/entities.yaml                  all entities (about N/20)
//! claims/<topic>/<topic>-<k>.yaml       F files (default N/50) holding the sources and claims
//! evidence/<source-id>.txt              local copies of a few sources (`file` + correct `sha256`)
//! evidence/<source-id>.{html,txt,pdf}   with --copies: `files:` of about 40 % of the sources
//! ```
//!
//! The data (ids, texts, relations) depends only on N and the seed; F only changes how
//! the records are spread over files. Every reference resolves and `cites` is a DAG (a
//! source only cites sources generated before it, longest chain 4 edges), so
//! `corroborate check` reports no error. Lint warnings are expected and wanted:
//! evidence without a quote (missing-quote), urls without an archived copy
//! (missing-archive), verdicts the evidence disagrees with (verdict-conflict), several
//! sources tracing back to one origin (circular-reporting), claims without evidence.
//!
//! Per claim about 3 evidence items (0 to 8; supports 48 %, contradicts 32 %, context
//! 20 %); quotes of 25 to 900 characters (lognormal, median 140) with Chinese,
//! Cyrillic and German originals, accented names, and some `: `, ` #`, `"`, `<`, `&`
//! that need quoting or escaping. Verdicts include unquoted `true`/`false`; dates come
//! as `YYYY`, `YYYY-MM` and `YYYY-MM-DD`, some quoted.
//!
//! `--argdown FILE` also writes the same claims and support/attack relations as an
//! Argdown document (as `gen_corpus.py --argdown` does): claims are statements
//! `[id]: text #tags`, sources are arguments `<id>: title`, evidence `supports` is
//! `+ <source>: quote`, `contradicts` is `- <source>: quote`, related claims are
//! `+> [id]` / `-> [id]`, and `cites` makes the cited source support the citing one.
//! Context evidence, entities and `refines` have no Argdown equivalent.
//!
//! `--copies` (format 1.1) also gives about 40 % of the sources local copies in `files:`
//! (text, HTML, both, and now and then a PDF fixture) whose text holds the quotes read
//! in them, a quarter of the evidence items a `via`, and one checked quote in 20 a
//! changed word, so that `check` has quotes to verify and some it does not find (see
//! [`Corpus::add_copies`]). It draws from its own random stream after the rest, so
//! without it the output is byte for byte what it was, and with it the data is the same
//! plus the copies, the `via`s and the changed quotes.
//!
//! The benchmarks in `benches/pipeline.rs` include this file as a module and call
//! [`Corpus::generate`] and [`Corpus::write_repo`] directly.

use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// A small, fast, deterministic PRNG (SplitMix64); no dependency.

/// SplitMix64 (Steele, Lea and Flood): 64 bits of state, passes BigCrush, and every
/// seed (0 included) gives a full-period stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        rng.next_u64(); // one step so that neighbouring seeds diverge at once
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Uniform in 0..n (n > 0), without modulo bias worth mentioning (Lemire's multiply).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of a list of words.
    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// An index into `weights`, drawn in proportion to them.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -(1.0 - self.f64()).ln() * mean
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

/// The word lists the texts are made of.
#[rustfmt::skip]
mod vocab {
    pub const TOPICS: &[&str] = &[
        "surveillance", "procurement", "supply-chain", "public-health", "elections", "climate",
        "labour", "sanctions", "data-protection", "infrastructure", "arms-exports", "media",
        "finance", "energy", "telecoms", "education", "migration", "agriculture", "mining",
        "shipping",
    ];

    pub const TAGS: &[&str] = &[
        "xinjiang", "role", "contracts", "cameras", "facial-recognition", "police", "budget",
        "tender", "subsidy", "export", "sanctions", "denial", "lobbying", "ownership", "subsidiary",
        "joint-venture", "ipo", "revenue", "fraud", "audit", "emissions", "deforestation", "water",
        "health", "vaccines", "hospital", "election", "disinformation", "bots", "advertising",
        "privacy", "data-leak", "biometrics", "forced-labour", "cotton", "solar", "batteries",
        "cobalt", "lithium", "shipping", "ports", "railway", "bridge", "dam", "telecom", "5g",
        "cloud", "ai", "drones", "weapons", "training", "universities", "research", "grants",
        "courts", "prisons", "detention", "refugees", "visas", "tax", "offshore", "banks", "crypto",
        "mining", "oil", "gas", "coal", "fisheries", "timber", "palm-oil", "soy", "beef", "cocoa",
        "coffee", "textiles", "electronics", "software", "hardware", "safe-city", "smart-city",
        "statement", "press-release", "interview", "court-filing", "leak", "archive", "translation",
        "timeline", "methodology", "follow-up", "retracted", "disputed",
    ];

    pub const PLACES: &[&str] = &[
        "Urumqi", "Kashgar", "Karakax", "Hotan", "Aksu", "Shenzhen", "Hangzhou", "Beijing",
        "Shanghai", "Chongqing", "Lhasa", "Ürümqi", "São Paulo", "Zürich", "Kraków", "Düsseldorf",
        "Montréal", "Bogotá", "Nairobi", "Lagos", "Jakarta", "Manila", "Karachi", "Dhaka", "Almaty",
        "Tashkent", "Istanbul", "Cairo", "Quito", "Lima", "Harare", "Kampala", "Belgrade",
        "Tbilisi", "Yerevan", "Ulaanbaatar", "Vientiane", "Phnom Penh", "Colombo", "Kathmandu",
        "Minsk", "Caracas", "La Paz", "Addis Ababa", "Dakar", "Abidjan", "Accra", "Luanda",
    ];

    pub const CN_PLACES: &[&str] = &[
        "乌鲁木齐", "喀什", "和田", "阿克苏", "深圳", "杭州", "北京", "上海", "重庆", "拉萨",
    ];

    pub const ORG_STEMS: &[&str] = &[
        "Hik", "Da", "Uni", "Zhong", "Hua", "Tian", "Xin", "Ke", "Sino", "Kun", "Rui", "Orion",
        "Atlas", "Nova", "Vertex", "Meridian", "Polar", "Helio", "Cobalt", "Granite", "Harbor",
        "Summit", "Lumen", "Quanta", "Vector", "Sentinel", "Aegis", "Nord", "Süd", "Ost", "Alto",
        "Prima", "Terra", "Aqua", "Ignis", "Ferro",
    ];

    pub const ORG_STEMS2: &[&str] = &[
        "vision", "tech", "view", "net", "soft", "data", "link", "star", "tron", "wave", "core",
        "gate", "path", "shield", "sense", "mind", "cloud", "grid",
    ];

    pub const ORG_KINDS: &[&str] = &[
        "Technology Co., Ltd.", "Holdings", "Group", "Inc.", "GmbH", "S.A.",
        "Digital Technology Co., Ltd.", "Systems", "Intelligence Ltd.", "Security AG", "Industries",
        "Partners LLP", "Foundation", "Institute",
    ];

    pub const CN_ORG_CHARS: &[&str] = &[
        "海康", "大华", "中科", "华为", "天地", "新疆", "商汤", "旷视", "依图", "云从", "浙江", "宇视", "科大", "讯飞", "中兴",
        "东方", "国泰", "长城",
    ];

    pub const CN_ORG_SUFFIX: &[&str] = &[
        "科技有限公司", "数字技术股份有限公司", "集团", "信息技术有限公司", "研究院",
    ];

    pub const FIRST_NAMES: &[&str] = &[
        "Charles", "Maria", "Wei", "Li", "Ahmed", "Fatima", "John", "Aisha", "Dmitri", "Olga",
        "José", "Zoë", "Łukasz", "Søren", "Ana", "Chen", "Hiroshi", "Priya", "Kwame", "Ngozi",
        "Lucía", "François", "Mehmet", "Ayşe", "Nguyen", "Sara", "David", "Elena", "Tomás",
        "Ingrid", "Rahul", "Mei", "Omar", "Yuki", "Erik",
    ];

    pub const LAST_NAMES: &[&str] = &[
        "Rollet", "Müller", "Zhang", "Wang", "Khan", "Okafor", "Smith", "Ivanova", "Álvarez",
        "Wójcik", "Nielsen", "Silva", "Liu", "Tanaka", "Sharma", "Mensah", "Adeyemi", "García",
        "Dubois", "Yılmaz", "Kaya", "Tran", "Johansson", "Novak", "Rossi", "Petrov", "Kowalski",
        "Haddad", "Sato", "Larsen", "Costa", "Huang",
    ];

    pub const GOV_BODIES: &[&str] = &[
        "Public Security Bureau", "Ministry of Interior", "Ministry of Finance",
        "Procurement Office", "City Council", "Department of Commerce", "Ministry of Health",
        "Electoral Commission", "Environmental Agency", "Ministry of Transport",
        "Customs Administration", "Central Bank",
    ];

    pub const PROJECTS: &[&str] = &[
        "Safe City Project", "Smart City Programme", "Sharp Eyes", "Border Monitoring Initiative",
        "National ID Rollout", "Grid Management System", "Port Expansion", "Railway Link",
        "Hydropower Dam", "Vaccine Distribution Drive", "Voter Registration System",
    ];

    /// Publisher, its web host (none: the source is on the subject's own website), its
    /// language, and the short form used in source ids.
    pub const PUBLISHERS: &[(&str, Option<&str>, &str, &str)] = &[
        ("IPVM", Some("ipvm.com"), "en", "ipvm"),
        ("Reuters", Some("www.reuters.com"), "en", "reuters"),
        ("Bloomberg", Some("www.bloomberg.com"), "en", "bloomberg"),
        ("Caixin", Some("www.caixinglobal.com"), "en", "caixin"),
        ("The Intercept", Some("theintercept.com"), "en", "intercept"),
        ("Human Rights Watch", Some("www.hrw.org"), "en", "hrw"),
        ("China Government Procurement Network", Some("www.ccgp.gov.cn"), "zh", "ccgp"),
        ("SEC EDGAR", Some("www.sec.gov"), "en", "sec"),
        ("Xinhua", Some("www.xinhuanet.com"), "zh", "xinhua"),
        ("Financial Times", Some("www.ft.com"), "en", "ft"),
        ("Associated Press", Some("apnews.com"), "en", "ap"),
        ("ASPI", Some("www.aspi.org.au"), "en", "aspi"),
        ("Amnesty International", Some("www.amnesty.org"), "en", "amnesty"),
        ("Der Spiegel", Some("www.spiegel.de"), "de", "spiegel"),
        ("Le Monde", Some("www.lemonde.fr"), "fr", "lemonde"),
        ("人民日报", Some("paper.people.com.cn"), "zh", "peoples-daily"),
        ("新华社", Some("www.news.cn"), "zh", "xinhua-she"),
        ("Kommersant", Some("www.kommersant.ru"), "ru", "kommersant"),
        ("El País", Some("elpais.com"), "es", "elpais"),
        ("Shenzhen Stock Exchange", Some("www.szse.cn"), "zh", "szse"),
        ("Company website", None, "en", "site"),
        ("BBC News", Some("www.bbc.co.uk"), "en", "bbc"),
        ("The Guardian", Some("www.theguardian.com"), "en", "guardian"),
        ("Nikkei Asia", Some("asia.nikkei.com"), "en", "nikkei"),
        ("Radio Free Asia", Some("www.rfa.org"), "en", "rfa"),
        ("OCCRP", Some("www.occrp.org"), "en", "occrp"),
        ("Bellingcat", Some("www.bellingcat.com"), "en", "bellingcat"),
        ("ProPublica", Some("www.propublica.org"), "en", "propublica"),
        ("Zeit Online", Some("www.zeit.de"), "de", "zeit"),
    ];

    pub const SOURCE_KINDS: &[&str] = &[
        "document", "procurement", "filing", "statement", "website", "news", "report", "academic",
        "dataset", "media", "interview", "other",
    ];

    pub const SOURCE_KIND_W: &[u32] = &[
        6, 10, 8, 7, 6, 30, 14, 5, 3, 4, 4, 3,
    ];

    pub const PRODUCTS: &[&str] = &[
        "cameras", "facial recognition terminals", "video management software",
        "data centre equipment", "network switches", "body-worn cameras", "checkpoint scanners",
        "cloud storage", "solar panels", "lithium batteries", "cotton yarn", "surveillance vans",
        "drones", "server racks", "license plate readers", "Wi-Fi sniffers", "smart meters",
    ];

    pub const NOUNS: &[&str] = &[
        "contract", "tender", "project", "budget", "report", "statement", "filing", "company",
        "ministry", "bureau", "programme", "system", "network", "platform", "supplier",
        "subsidiary", "shareholder", "investigation", "document", "spokesperson", "official",
        "agreement", "deadline", "payment", "facility", "camp", "checkpoint", "factory",
        "warehouse", "shipment", "audit", "review", "procedure", "court", "ruling",
    ];

    pub const VERBS: &[&str] = &[
        "confirmed", "denied", "announced", "disclosed", "reported", "described", "listed",
        "awarded", "signed", "delivered", "installed", "operated", "financed", "approved",
        "rejected", "questioned", "acknowledged", "published", "removed", "updated",
    ];

    pub const ADJS: &[&str] = &[
        "large", "unnamed", "regional", "municipal", "classified", "preliminary", "final",
        "revised", "public", "internal", "so-called", "integrated", "multi-year", "new", "former",
        "second", "key", "disputed", "official", "partial",
    ];

    /// English sentences for quotes and notes; some need YAML quoting (`: `, ` #`, a
    /// leading `"`) or HTML escaping (`<`, `&`, `"`).
    pub const SENTENCES: &[&str] = &[
        "{org} won a {money} {project} in {place}.",
        "According to the {adj} {noun}, {org} {verb} the {noun2} in {year}.",
        "The {adj} {noun} lists {org} as the main supplier of {product} to the {gov} in {place}.",
        "{person}, a spokesperson for {org}, said the company was \"only a product provider\" and had no role in operations.",
        "In {year}, the {gov} of {place} {verb} a {money} {noun} with {org}.",
        "The filing shows that {org} held a {pct} stake in the {noun} until {year}.",
        "{person} told reporters that the {noun} had been {verb} after an internal review.",
        "Documents reviewed by {publisher} indicate that {count} {product} were delivered to {place} between {year} and {year2}.",
        "The company did not respond to repeated requests for comment.",
        "{org} has denied any involvement, calling the allegations \"baseless\".",
        "The {noun} was {verb} by the {gov} on {day} {month} {year}.",
        "A {adj} version of the {noun} no longer mentions {org}.",
        "Satellite imagery from {year} shows the {noun} was expanded by roughly {pct}.",
        "The tender documents specify {count} {product} with a total value of {money}.",
        "{org}'s annual report for {year} records revenue of {money} from the segment.",
        "{person} said: the {noun} was never {verb} and the figures are wrong.",
        "Procurement records list a total budget of {money} for phase {phase} of the {project}.",
        "The {noun} was later {verb}, but an archived copy remains available.",
        "Officials in {place} {verb} that {count} {product} had been installed by {year2}.",
        "The report estimates that at least {pct} of the {product} were supplied by {org}.",
        "Researchers at {org} {verb} a paper on {product} co-authored with the {gov}.",
        "Shareholders were told that revenue grew < {pct} & margins fell in {year}.",
        "Note: the figure of {money} appears only in the {adj} {noun}, see annex #{phase}.",
        "\"{org} is a normal company\", the {gov} of {place} said in {year}.",
    ];

    pub const CN_SENTENCES: &[&str] = &[
        "{cnorg}中标{cnplace}市公安局平安城市建设项目，中标金额约{num}万元。",
        "该项目包括前端摄像机{num}台及视频管理平台一套。",
        "根据采购公告，{cnplace}地区的{num}个检查站将于{year}年底前完成建设。",
        "{cnorg}表示，公司仅为产品供应商，不参与项目运营。",
        "本次招标由{cnplace}市财政局负责组织实施。",
        "合同履行期限为{num}个月，自合同签订之日起计算。",
        "项目资金来源为中央财政专项资金及地方配套资金。",
        "{cnorg}在{year}年年报中披露，该业务收入同比增长{num}%。",
        "供应商须具备相关资质，并提供近三年的类似项目业绩。",
        "据知情人士透露，相关系统已于{year}年投入使用。",
    ];

    pub const RU_SENTENCES: &[&str] = &[
        "Компания {org} получила контракт на поставку оборудования в {year} году.",
        "Представитель министерства отказался от комментариев.",
        "Сумма контракта составила около {num} миллионов рублей.",
    ];

    pub const DE_SENTENCES: &[&str] = &[
        "Laut Unterlagen lieferte {org} im Jahr {year} mehr als {num} Kameras nach {place}.",
        "Das Unternehmen äußerte sich auf Anfrage nicht zu den Vorwürfen.",
        "Die Behörde in {place} bestätigte den Auftrag über {money} für {org}.",
    ];

    pub const FR_SENTENCES: &[&str] = &[
        "Selon les documents, {org} a livré {num} caméras à {place} en {year}.",
        "L'entreprise n'a pas répondu à nos questions.",
    ];

    pub const ES_SENTENCES: &[&str] = &[
        "Según los documentos, {org} entregó {num} cámaras en {place} en {year}.",
        "La empresa no respondió a las preguntas de este periódico.",
    ];

    pub const MONTHS: &[&str] = &[
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ];

    pub const CLAIM_STATEMENTS: &[&str] = &[
        "{org} is nothing more than a product provider in {place}.",
        "{org} supplied {product} to the {gov} of {place}.",
        "{org} won a {money} contract for the {project} in {year}.",
        "The {project} in {place} was completed by {year}.",
        "{org} has no subsidiaries in {place}.",
        "{person} was CEO of {org} when the {noun} was signed.",
        "The {gov} of {place} paid {org} {money} in {year}.",
        "{org} stopped selling {product} to {place} in {year}.",
        "More than {count} {product} were installed in {place}.",
        "{org} did not know how its {product} were used.",
        "The {noun} published by {org} in {year} was accurate.",
        "{org} is owned by the {gov}.",
    ];

    pub const SOURCE_TITLES: &[&str] = &[
        "{org} wins {project} contract in {place}",
        "Procurement notice: {product} for the {gov} of {place}",
        "{org} annual report {year}",
        "Interview with {person} on the {project}",
        "Inside the {adj} {noun}: how {org} supplied {place}",
        "{gov} of {place} statement on {product}",
        "Dataset of {product} tenders, {year}–{year2}",
        "\"We are only a supplier\": {org} responds",
    ];

    pub const CN_TITLE_KINDS: &[&str] = &[
        "平安城市", "雪亮工程", "视频监控", "智慧城市",
    ];

    pub const PINYIN_WORDS: &[&str] = &[
        "pingan-chengshi", "xueliang-gongcheng", "shipin-jiankong", "zhihui-chengshi",
        "zhongbiao-gonggao",
    ];

    pub const VERDICTS: &[&str] = &[
        "true", "false", "mostly-true", "mostly-false", "mixed", "unproven",
    ];

    pub const VERDICT_W: &[u32] = &[
        25, 25, 15, 15, 12, 8,
    ];

    pub const STANCES: &[&str] = &[
        "supports", "contradicts", "context",
    ];

    pub const STANCE_W: &[u32] = &[
        48, 32, 20,
    ];

    pub const RELATIONS: &[&str] = &[
        "supports", "contradicts", "refines",
    ];

    pub const RELATION_W: &[u32] = &[
        45, 35, 20,
    ];

    pub const EVIDENCE_COUNTS: &[usize] = &[
        0, 1, 2, 3, 4, 5, 6, 8,
    ];

    pub const EVIDENCE_COUNT_W: &[u32] = &[
        5, 15, 22, 22, 15, 10, 6, 5,
    ];

    /// Words that YAML 1.1 readers (and some YAML 1.2 ones) take for something other
    /// than a string when written plain.
    pub const YAML_RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "",
    ];
}
use vocab::*;

// ---------------------------------------------------------------------------
// The model: plain data, identical for any number of files.

pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: Option<&'static str>,
    pub aliases: Vec<String>,
    pub url: Option<String>,
    pub description: Option<String>,
}

pub struct Source {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub publisher: Option<&'static str>,
    pub by: Option<usize>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub published: String,
    pub accessed: Option<String>,
    pub language: Option<&'static str>,
    pub reliability: Option<char>,
    /// Indices of earlier sources.
    pub cites: Vec<usize>,
    /// A local copy: path relative to the repository and its bytes.
    pub file: Option<(String, Vec<u8>)>,
    /// Local copies in `files:` (only with `--copies`, see [`Corpus::add_copies`]).
    pub copies: Vec<LocalCopy>,
    pub notes: Option<String>,
    lang: &'static str,
}

pub struct Evidence {
    pub source: usize,
    /// The source it was read in (only with `--copies`).
    pub via: Option<usize>,
    pub stance: &'static str,
    pub quote: Option<String>,
    pub quote_original: Option<String>,
    pub locator: Option<String>,
    pub credibility: Option<u8>,
    pub note: Option<String>,
}

pub struct Claim {
    pub id: String,
    pub statement: String,
    pub claimant: Option<usize>,
    pub about: Vec<usize>,
    pub date: Option<String>,
    pub appearance: Option<usize>,
    pub tags: Vec<&'static str>,
    pub verdict: Option<&'static str>,
    pub verdict_note: Option<String>,
    pub evidence: Vec<Evidence>,
    /// (claim index, relation)
    pub related: Vec<(usize, &'static str)>,
}

/// A generated repository, before it is written.
pub struct Corpus {
    pub n_claims: usize,
    pub seed: u64,
    pub entities: Vec<Entity>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    /// Whether [`Corpus::add_copies`] was called (said in `corroborate.yaml`).
    pub copies: bool,
}

/// A local copy listed in a source's `files:`: path relative to the repository, bytes
/// and role.
pub struct LocalCopy {
    pub path: String,
    pub bytes: Vec<u8>,
    pub role: &'static str,
}

/// Counts for the summary line.
pub struct Summary {
    pub claims: usize,
    pub sources: usize,
    pub entities: usize,
    pub evidence: usize,
    pub files: usize,
    pub local_files: usize,
    pub evidence_without_quote: usize,
    pub urls_without_archive: usize,
    pub max_cites_depth: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "claims={} sources={} entities={} evidence={} files={} local_files={} \
             evidence_without_quote={} urls_without_archive={} max_cites_depth={}",
            self.claims,
            self.sources,
            self.entities,
            self.evidence,
            self.files,
            self.local_files,
            self.evidence_without_quote,
            self.urls_without_archive,
            self.max_cites_depth
        )
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// Lowercase ASCII letters and digits joined by `-`, at most `max` bytes (cut at a
/// `-` in its second half when there is one), starting with a letter.
pub fn slugify(text: &str, max: usize) -> String {
    let mut s = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
    }
    if s.len() > max {
        s.truncate(max);
        if let Some(cut) = s[max / 2..].rfind('-') {
            s.truncate(max / 2 + cut);
        }
        while s.ends_with('-') {
            s.pop();
        }
    }
    if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s.insert_str(0, if s.is_empty() { "x" } else { "x-" });
    }
    s
}

/// Unique ids: a repeated base gets `-2`, `-3`, ...
#[derive(Default)]
struct IdPool(HashSet<String>);

impl IdPool {
    fn make(&mut self, base: &str) -> String {
        let mut base = &base[..base.len().min(72)];
        base = base.trim_matches('-');
        let mut candidate = base.to_owned();
        let mut k = 2;
        while self.0.contains(&candidate) {
            candidate = format!("{base}-{k}");
            k += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

fn make_date(rng: &mut Rng, y0: i64, y1: i64) -> String {
    let y = rng.range(y0, y1);
    let r = rng.f64();
    if r < 0.2 {
        return format!("{y:04}");
    }
    let m = rng.range(1, 12);
    if r < 0.5 {
        return format!("{y:04}-{m:02}");
    }
    let d = rng.range(1, if m == 2 { 28 } else { 30 });
    format!("{y:04}-{m:02}-{d:02}")
}

// ---------------------------------------------------------------------------
// Text

struct Gen {
    rng: Rng,
    ids: IdPool,
}

impl Gen {
    fn org_name(&mut self) -> String {
        let r = &mut self.rng;
        format!(
            "{}{} {}",
            r.word(ORG_STEMS),
            r.word(ORG_STEMS2),
            r.word(ORG_KINDS)
        )
    }

    fn person_name(&mut self) -> String {
        let r = &mut self.rng;
        format!("{} {}", r.word(FIRST_NAMES), r.word(LAST_NAMES))
    }

    fn cn_org(&mut self) -> String {
        let r = &mut self.rng;
        format!("{}{}", r.word(CN_ORG_CHARS), r.word(CN_ORG_SUFFIX))
    }

    fn money(&mut self) -> String {
        let r = &mut self.rng;
        let x = r.f64();
        if x < 0.5 {
            format!("${} million", r.range(1, 900))
        } else if x < 0.8 {
            format!("¥{},{:03},000", r.range(1, 999), r.range(0, 999))
        } else {
            format!("€{}.{} million", r.range(1, 300), r.range(0, 9))
        }
    }

    /// `template` with each `{name}` replaced by a fresh random value; `{org}` is `org`.
    fn fill(&mut self, template: &str, org: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let key = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            let r = &mut self.rng;
            match key {
                "org" => out.push_str(org),
                "person" => out.push_str(&self.person_name()),
                "place" => out.push_str(r.word(PLACES)),
                "gov" => out.push_str(r.word(GOV_BODIES)),
                "project" => out.push_str(r.word(PROJECTS)),
                "product" => out.push_str(r.word(PRODUCTS)),
                "noun" | "noun2" => out.push_str(r.word(NOUNS)),
                "verb" => out.push_str(r.word(VERBS)),
                "adj" => out.push_str(r.word(ADJS)),
                "year" => {
                    let _ = write!(out, "{}", r.range(2008, 2023));
                }
                "year2" => {
                    let _ = write!(out, "{}", r.range(2015, 2024));
                }
                "money" => out.push_str(&self.money()),
                "pct" => {
                    let _ = write!(out, "{}%", r.range(2, 95));
                }
                "count" => {
                    let _ = write!(out, "{}", r.range(2, 25000));
                }
                "day" => {
                    let _ = write!(out, "{}", r.range(1, 28));
                }
                "month" => out.push_str(r.word(MONTHS)),
                "phase" => {
                    let _ = write!(out, "{}", r.range(1, 5));
                }
                "publisher" => out.push_str(r.pick(PUBLISHERS).0),
                "cnorg" => out.push_str(&self.cn_org()),
                "cnplace" => out.push_str(r.word(CN_PLACES)),
                "num" => {
                    let _ = write!(out, "{}", r.range(2, 9999));
                }
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Sentences from `pool` until about `target` characters; a text much longer than
    /// asked is cut at a space and ends with ` …`.
    fn text(&mut self, target: usize, org: &str, pool: &[&str]) -> String {
        // Chinese sentences are joined without spaces
        let chinese = pool.first().is_some_and(|s| s.ends_with('。'));
        let mut out = String::new();
        let mut chars = 0;
        while chars < target {
            let template = *self.rng.pick(pool);
            let sentence = self.fill(template, org);
            if !out.is_empty() && !chinese {
                out.push(' ');
            }
            chars += sentence.chars().count() + 1;
            out.push_str(&sentence);
        }
        let len = out.chars().count();
        if len as f64 > target as f64 * 1.6 && len > 80 {
            let limit = (target as f64 * 1.3) as usize;
            let byte_limit = out.char_indices().nth(limit).map_or(out.len(), |(i, _)| i);
            if let Some(cut) = out[..byte_limit].rfind(' ')
                && cut > 20
            {
                out.truncate(cut);
                while out.ends_with([',', ';', ':']) {
                    out.pop();
                }
                out.push_str(" …");
            }
        }
        out
    }

    fn quote_len(&mut self) -> usize {
        let x = (140f64.ln() + 0.6 * self.rng.normal()).exp();
        x.clamp(25.0, 900.0) as usize
    }

    fn markdown_note(&mut self, org: &str) -> String {
        let n = self.rng.range(60, 220) as usize;
        let mut note = self.text(n, org, SENTENCES);
        let r = self.rng.f64();
        if r < 0.4 {
            let noun = *self.rng.pick(NOUNS);
            let k = self.rng.range(1, 99999);
            let _ = write!(
                note,
                "\n\nSee **{noun}** and [the archived copy](https://web.archive.org/web/2019/https://example.org/{k})."
            );
        } else if r < 0.7 {
            note.push('\n');
            for _ in 0..self.rng.range(2, 4) {
                let n = self.rng.range(30, 90) as usize;
                note.push_str("\n- ");
                let item = self.text(n, org, SENTENCES);
                note.push_str(&item);
            }
        }
        note
    }

    /// An index into a list of `n` earlier items: mostly one of the last few dozen
    /// (same story, same topic), sometimes anything older (a much-cited original).
    fn recent(&mut self, n: usize) -> usize {
        if self.rng.chance(0.8) {
            n.saturating_sub(1 + self.rng.exponential(12.0) as usize)
        } else {
            ((n as f64 * self.rng.f64().sqrt()) as usize).min(n - 1)
        }
    }
}

// ---------------------------------------------------------------------------
// Generation

impl Corpus {
    /// The corpus of `n_claims` claims (at least 1) for `seed`.
    pub fn generate(n_claims: usize, seed: u64) -> Corpus {
        let n_claims = n_claims.max(1);
        let mut g = Gen {
            rng: Rng::new(seed),
            ids: IdPool::default(),
        };
        let entities = gen_entities(&mut g, (n_claims as f64 / 20.0).round().max(3.0) as usize);
        let sources = gen_sources(
            &mut g,
            &entities,
            (n_claims as f64 / 2.0).round().max(2.0) as usize,
        );
        let claims = gen_claims(&mut g, &entities, &sources, n_claims);
        Corpus {
            n_claims,
            seed,
            entities,
            sources,
            claims,
            copies: false,
        }
    }

    pub fn summary(&self, n_files: usize) -> Summary {
        let evidence = self.claims.iter().map(|c| c.evidence.len()).sum();
        let evidence_without_quote = self
            .claims
            .iter()
            .flat_map(|c| &c.evidence)
            .filter(|e| e.stance != "context" && e.quote.is_none())
            .count();
        let urls_without_archive = self
            .sources
            .iter()
            .filter(|s| s.url.is_some() && s.archive_url.is_none() && s.file.is_none())
            .count();
        // longest cites chain (in edges); sources only cite earlier ones
        let mut depth = vec![0usize; self.sources.len()];
        for (i, s) in self.sources.iter().enumerate() {
            depth[i] = s.cites.iter().map(|&c| depth[c] + 1).max().unwrap_or(0);
        }
        Summary {
            claims: self.claims.len(),
            sources: self.sources.len(),
            entities: self.entities.len(),
            evidence,
            files: n_files + 1,
            local_files: self.sources.iter().filter(|s| s.file.is_some()).count(),
            evidence_without_quote,
            urls_without_archive,
            max_cites_depth: depth.into_iter().max().unwrap_or(0),
        }
    }
}

fn gen_entities(g: &mut Gen, n: usize) -> Vec<Entity> {
    const KINDS: &[Option<&str>] = &[
        Some("organization"),
        Some("person"),
        Some("government"),
        Some("project"),
        Some("other"),
        None,
    ];
    let mut entities = Vec::with_capacity(n);
    for _ in 0..n {
        let kind = KINDS[g.rng.weighted(&[45, 28, 14, 7, 3, 3])];
        let mut aliases = Vec::new();
        let name = match kind {
            Some("organization") => {
                let name = g.org_name();
                if g.rng.chance(0.4) {
                    aliases.push(name.split(' ').next().unwrap_or(&name).to_owned());
                    if g.rng.chance(0.6) {
                        aliases.push(g.cn_org());
                    }
                }
                name
            }
            Some("person") => {
                let name = g.person_name();
                if g.rng.chance(0.1) {
                    aliases.push(name.rsplit(' ').next().unwrap_or(&name).to_owned());
                }
                name
            }
            Some("government") => {
                format!("{} of {}", g.rng.pick(GOV_BODIES), g.rng.pick(PLACES))
            }
            Some("project") => format!(
                "{} {} Phase {}",
                g.rng.pick(PLACES),
                g.rng.pick(PROJECTS),
                g.rng.pick(&["I", "II", "III"])
            ),
            _ => {
                let tag = g.rng.pick(TAGS).replace('-', " ");
                let mut title = String::new();
                for (i, word) in tag.split(' ').enumerate() {
                    if i > 0 {
                        title.push(' ');
                    }
                    let mut cs = word.chars();
                    if let Some(first) = cs.next() {
                        title.extend(first.to_uppercase());
                        title.push_str(cs.as_str());
                    }
                }
                format!("{title} working group")
            }
        };
        let id = g.ids.make(&slugify(&name, 48));
        let url = (matches!(kind, Some("organization" | "government" | "project"))
            && g.rng.chance(0.6))
        .then(|| {
            let first = name.split(' ').next().unwrap_or(&name);
            format!("https://www.{}.example.com/", slugify(first, 20))
        });
        let description = g.rng.chance(0.25).then(|| g.markdown_note(&name));
        entities.push(Entity {
            id,
            name,
            kind,
            aliases,
            url,
            description,
        });
    }
    entities
}

fn gen_sources(g: &mut Gen, entities: &[Entity], n: usize) -> Vec<Source> {
    // A source at level L cites one source of the highest non-empty level below L and
    // maybe more of lower levels, so chains are at most 4 edges long; and it only cites
    // sources generated before it, so `cites` is a DAG.
    let mut by_level: [Vec<usize>; 5] = Default::default();
    let mut sources = Vec::with_capacity(n);
    for i in 0..n {
        let mut level = if i < 2 {
            0
        } else {
            g.rng.weighted(&[45, 25, 15, 10, 5])
        };
        let kind = SOURCE_KINDS[g.rng.weighted(SOURCE_KIND_W)];
        let &(publisher, domain, lang, prefix) = g.rng.pick(PUBLISHERS);
        let ent_idx = g.rng.below(entities.len());
        let ent = &entities[ent_idx].name;
        let title = if lang == "zh" && g.rng.chance(0.7) {
            format!(
                "{}{}项目中标公告",
                g.rng.pick(CN_PLACES),
                g.rng.pick(CN_TITLE_KINDS)
            )
        } else {
            let template = *g.rng.pick(SOURCE_TITLES);
            g.fill(template, ent)
        };
        let published = make_date(&mut g.rng, 2008, 2024);
        let words: Vec<&str> = title
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .take(4)
            .collect();
        let words = if words.is_empty() {
            (*g.rng.pick(PINYIN_WORDS)).to_owned()
        } else {
            words.join(" ")
        };
        let id = g.ids.make(&slugify(
            &format!("{prefix} {} {words}", &published[..4]),
            56,
        ));
        let publisher = (domain.is_some() && g.rng.chance(0.85)).then_some(publisher);
        // the subject's own website: published by the entity itself (`by`)
        let by = (domain.is_none() && g.rng.chance(0.7)).then_some(ent_idx);
        let author = g.rng.chance(0.45).then(|| g.person_name());
        let mut url = None;
        let mut archive_url = None;
        if g.rng.chance(0.9) {
            let host = match domain {
                Some(d) => d.to_owned(),
                None => format!(
                    "www.{}.example.com",
                    slugify(ent.split(' ').next().unwrap_or(ent), 20)
                ),
            };
            let path = slugify(&title, 40);
            let u = format!(
                "https://{host}/{}/{path}-{}",
                &published[..4],
                g.rng.range(1000, 999_999)
            );
            if g.rng.chance(0.65) {
                let ymd: String = format!("{published}-01-01")[..10].replace('-', "");
                archive_url = Some(format!(
                    "https://web.archive.org/web/{ymd}{:02}{:02}{:02}/{u}",
                    g.rng.range(0, 23),
                    g.rng.range(0, 59),
                    g.rng.range(0, 59)
                ));
            }
            url = Some(u);
        }
        let year: i64 = published[..4].parse().unwrap_or(2008);
        let accessed = g
            .rng
            .chance(0.5)
            .then(|| make_date(&mut g.rng, year.max(2019), 2024));
        let language = g.rng.chance(0.8).then_some(match lang {
            "zh" => "zh-Hans",
            other => other,
        });
        let reliability = g
            .rng
            .chance(0.7)
            .then(|| ['A', 'B', 'C', 'D', 'E', 'F'][g.rng.weighted(&[8, 30, 30, 12, 5, 15])]);
        let mut cites = Vec::new();
        if level > 0 {
            let lower: Vec<usize> = (0..level).filter(|&l| !by_level[l].is_empty()).collect();
            if let Some(&top) = lower.last() {
                let k = g.recent(by_level[top].len());
                cites.push(by_level[top][k]);
                for _ in 0..g.rng.weighted(&[60, 30, 10]) {
                    let l = *g.rng.pick(&lower);
                    let k = g.recent(by_level[l].len());
                    let c = by_level[l][k];
                    if !cites.contains(&c) {
                        cites.push(c);
                    }
                }
                level = top + 1;
            } else {
                level = 0;
            }
        }
        let file = g.rng.chance(0.005).then(|| {
            let n = g.rng.range(400, 3000) as usize;
            let body = format!("Local copy of {title}\n\n{}\n", g.text(n, ent, SENTENCES));
            (format!("evidence/{id}.txt"), body.into_bytes())
        });
        let notes = g.rng.chance(0.2).then(|| g.markdown_note(ent));
        by_level[level].push(i);
        sources.push(Source {
            id,
            title,
            kind,
            publisher,
            by,
            author,
            url,
            archive_url,
            published,
            accessed,
            language,
            reliability,
            cites,
            file,
            copies: Vec::new(),
            notes,
            lang,
        });
    }
    sources
}

/// For each source, its one origin when it relays exactly one other source's root
/// (following `cites` transitively); `None` for roots and for several origins.
fn single_origins(sources: &[Source]) -> Vec<Option<usize>> {
    // sources only cite earlier ones, so one pass in order sees every origin set complete
    let mut origins: Vec<Vec<usize>> = Vec::with_capacity(sources.len());
    for (i, s) in sources.iter().enumerate() {
        let mut set: Vec<usize> = if s.cites.is_empty() {
            vec![i]
        } else {
            s.cites
                .iter()
                .flat_map(|&c| origins[c].iter().copied())
                .collect()
        };
        set.sort_unstable();
        set.dedup();
        origins.push(set);
    }
    origins
        .iter()
        .enumerate()
        .map(|(i, set)| match set.as_slice() {
            [r] if *r != i => Some(*r),
            _ => None,
        })
        .collect()
}

fn gen_claims(g: &mut Gen, entities: &[Entity], sources: &[Source], n: usize) -> Vec<Claim> {
    let (ne, ns) = (entities.len() as i64, sources.len() as i64);
    let single_origin = single_origins(sources);
    let mut claims = Vec::with_capacity(n);
    for j in 0..n {
        let centre_e = (j as i64 * ne) / n as i64;
        let ent_idx = (centre_e + g.rng.range(-10, 10)).rem_euclid(ne) as usize;
        let ent = &entities[ent_idx];
        let ename = if matches!(ent.kind, None | Some("organization" | "other")) {
            ent.name.clone()
        } else {
            g.org_name()
        };
        let template = *g.rng.pick(CLAIM_STATEMENTS);
        let mut statement = g.fill(template, &ename);
        if g.rng.chance(0.03) {
            let template = *g.rng.pick(CN_SENTENCES);
            let cn = g.fill(template, &ename);
            statement = format!(
                "{}（{}）。",
                statement.trim_end_matches('.'),
                cn.trim_end_matches('。')
            );
        }
        let id = g.ids.make(&slugify(&statement, 56));
        let claimant = g
            .rng
            .chance(0.6)
            .then(|| (centre_e + g.rng.range(-5, 5)).rem_euclid(ne) as usize);
        let mut about = Vec::new();
        if g.rng.chance(0.7) {
            about.push(ent_idx);
            for _ in 0..g.rng.weighted(&[60, 30, 10]) {
                let a = g.rng.below(ne as usize);
                if !about.contains(&a) {
                    about.push(a);
                }
            }
        }
        let date = g.rng.chance(0.7).then(|| make_date(&mut g.rng, 2008, 2024));
        let centre_s = (j as i64 * ns) / n as i64;
        let pick_source = |g: &mut Gen| -> usize {
            if g.rng.chance(0.8) {
                (centre_s + g.rng.range(-40, 40)).rem_euclid(ns) as usize
            } else {
                ((ns as f64 * g.rng.f64().powi(3)) as usize).min(ns as usize - 1)
            }
        };
        let appearance = g.rng.chance(0.4).then(|| pick_source(g));
        let mut tags = Vec::new();
        if g.rng.chance(0.8) {
            for _ in 0..g.rng.range(1, 4) {
                let t = *g.rng.pick(TAGS);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        let mut verdict = None;
        let mut verdict_note = None;
        if g.rng.chance(0.55) {
            verdict = Some(VERDICTS[g.rng.weighted(VERDICT_W)]);
            if g.rng.chance(0.5) {
                verdict_note = Some(g.markdown_note(&ename));
            }
        }
        let k = EVIDENCE_COUNTS[g.rng.weighted(EVIDENCE_COUNT_W)];
        let mut evidence = Vec::with_capacity(k);
        for _ in 0..k {
            let source = pick_source(g);
            let stance = STANCES[g.rng.weighted(STANCE_W)];
            let mut quote = None;
            let mut quote_original = None;
            if g.rng.chance(if stance == "context" { 0.6 } else { 0.92 }) {
                let lang = sources[source].lang;
                if lang == "zh" && g.rng.chance(0.15) {
                    let n = g.quote_len() / 3;
                    quote = Some(g.text(n, &ename, CN_SENTENCES));
                } else {
                    let n = g.quote_len();
                    let q = g.text(n, &ename, SENTENCES);
                    if lang != "en" && g.rng.chance(0.7) {
                        let (pool, len) = match lang {
                            "zh" => (CN_SENTENCES, q.chars().count() / 3),
                            "ru" => (RU_SENTENCES, q.chars().count()),
                            "fr" => (FR_SENTENCES, q.chars().count()),
                            "es" => (ES_SENTENCES, q.chars().count()),
                            _ => (DE_SENTENCES, q.chars().count()),
                        };
                        quote_original = Some(g.text(len.max(10), &ename, pool));
                    }
                    quote = Some(q);
                }
            }
            let locator = g.rng.chance(0.5).then(|| {
                let a = g.rng.range(1, 59);
                let b = (a + g.rng.range(1, 9)).min(59);
                match g.rng.below(11) {
                    0 => format!("p. {a}"),
                    1 => format!("pp. {a}–{b}"),
                    2 => format!("paragraph {a}"),
                    3 => format!("section {a}.{b}"),
                    4 => format!("00:{a:02}:{b:02}"),
                    5 => format!("annex B, row {a}"),
                    6 => format!("table {a}"),
                    7 => format!("slide {a}"),
                    8 => format!("第{a}页"),
                    9 => format!("footnote {a}"),
                    _ => format!("item {a}"),
                }
            });
            let credibility = g
                .rng
                .chance(0.5)
                .then(|| g.rng.weighted(&[15, 35, 25, 10, 5, 10]) as u8 + 1);
            let note = g.rng.chance(0.1).then(|| g.markdown_note(&ename));
            evidence.push(Evidence {
                source,
                via: None,
                stance,
                quote,
                quote_original,
                locator,
                credibility,
                note,
            });
        }
        // Now and then a second item from the original that an item's source relays:
        // two sources, one origin (the circular-reporting lint).
        if k < 8
            && g.rng.chance(0.02)
            && let Some((stance, origin)) = evidence.iter().find_map(|e| {
                (e.stance != "context")
                    .then(|| single_origin[e.source].map(|r| (e.stance, r)))
                    .flatten()
            })
        {
            let n = g.quote_len();
            evidence.push(Evidence {
                source: origin,
                via: None,
                stance,
                quote: Some(g.text(n, &ename, SENTENCES)),
                quote_original: None,
                locator: None,
                credibility: None,
                note: None,
            });
        }
        claims.push(Claim {
            id,
            statement,
            claimant,
            about,
            date,
            appearance,
            tags,
            verdict,
            verdict_note,
            evidence,
            related: Vec::new(),
        });
    }
    // related claims: mostly nearby (same topic), forward or backward
    if n > 1 {
        for (j, claim) in claims.iter_mut().enumerate() {
            if g.rng.chance(0.2) {
                for _ in 0..g.rng.range(1, 2) {
                    let t = (j as i64 + g.rng.range(-100, 100)).rem_euclid(n as i64) as usize;
                    if t != j && claim.related.iter().all(|r| r.0 != t) {
                        claim
                            .related
                            .push((t, RELATIONS[g.rng.weighted(RELATION_W)]));
                    }
                }
            }
        }
    }
    claims
}

// ---------------------------------------------------------------------------
// Local copies with the quoted text (`--copies`)

/// The committed PDF fixtures, copied as they are: their text holds none of the quotes,
/// so a source with one also has a text or HTML copy that does.
const PDF_FIXTURES: &[(&str, &[u8])] = &[
    (
        "chromium",
        include_bytes!("../tests/fixtures/copies/chromium.pdf"),
    ),
    (
        "writer",
        include_bytes!("../tests/fixtures/copies/writer.pdf"),
    ),
    (
        "latex",
        include_bytes!("../tests/fixtures/copies/latex.pdf"),
    ),
];

/// What [`Corpus::add_copies`] made, for the summary line.
#[derive(Default)]
pub struct CopiesSummary {
    pub sources_with_copies: usize,
    pub txt: usize,
    pub html: usize,
    pub pdf: usize,
    /// Bytes of the text and HTML copies (the PDFs apart).
    pub text_bytes: usize,
    pub pdf_bytes: usize,
    pub via: usize,
    /// Quotes whose quoted source has a copy, so that they are checked.
    pub checked: usize,
    /// Of those, the ones with a word changed: not found in the copy.
    pub changed: usize,
}

impl std::fmt::Display for CopiesSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sources_with_copies={} txt={} html={} pdf={} text_mb={:.1} pdf_mb={:.1} via={} \
             quotes_checked={} quotes_changed={}",
            self.sources_with_copies,
            self.txt,
            self.html,
            self.pdf,
            self.text_bytes as f64 / 1e6,
            self.pdf_bytes as f64 / 1e6,
            self.via,
            self.checked,
            self.changed
        )
    }
}

/// `text` with straight quotation marks and apostrophes made typographic (“ ” ’).
fn typographic(text: &str) -> String {
    let mut open = true;
    text.chars()
        .map(|c| match c {
            '"' => {
                open = !open;
                if open { '\u{201D}' } else { '\u{201C}' }
            }
            '\'' => '\u{2019}',
            c => c,
        })
        .collect()
}

/// `text` with one word of four or more ASCII letters replaced by another word, or
/// `None` when it has no such word (a Chinese quote).
fn change_a_word(rng: &mut Rng, text: &str) -> Option<String> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 4 {
                    words.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    if words.is_empty() {
        return None;
    }
    let range = words[rng.below(words.len())].clone();
    let mut other = rng.word(NOUNS);
    if other == &text[range.clone()] {
        other = "something";
    }
    Some(format!(
        "{}{other}{}",
        &text[..range.start],
        &text[range.end..]
    ))
}

/// `paragraph` with a line break at the last space before every 78th character.
fn wrap(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len() + paragraph.len() / 60);
    let mut line = 0;
    for (i, word) in paragraph.split(' ').enumerate() {
        let n = word.chars().count();
        if i > 0 {
            if line + 1 + n > 78 {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += n;
    }
    out
}

fn html_escape(text: &str, curly: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\u{201C}' if curly => out.push_str("&ldquo;"),
            '\u{201D}' if curly => out.push_str("&rdquo;"),
            '\u{2019}' if curly => out.push_str("&#8217;"),
            c => out.push(c),
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

impl Corpus {
    /// Gives about 40 % of the sources (not those with `file`) local copies in `files:`
    /// that hold the words quoted from them, and a quarter of the evidence items a
    /// `via` (a source with a copy that cites the item's source, when there is one):
    /// the `--copies` corpus, for timing quote checks. Its own random stream, so the
    /// data of [`Corpus::generate`] is unchanged and only added to.
    ///
    /// A copy is `evidence/<id>.txt` (wrapped at 78 columns), `evidence/<id>.html` (a
    /// page with a script, a style and escaped text), or both (the text then has
    /// `role: text`); 5 % of them also get one of the committed PDF fixtures (`role:
    /// archive`), which holds none of the quotes. Each copy is 1.5 to 12 KB of
    /// generated paragraphs with every quote read in it (`quote_original` when the item
    /// has one) inside a paragraph; half of the copies have typographic quotation marks
    /// and apostrophes, and 10 % of the quotes do. One checked quote in 20 has a word
    /// changed (`quote-not-found`).
    pub fn add_copies(&mut self) -> CopiesSummary {
        let mut summary = CopiesSummary::default();
        let mut g = Gen {
            rng: Rng::new(self.seed ^ 0x636f_7069_6573),
            ids: IdPool::default(),
        };
        let ns = self.sources.len();
        // (html, txt, pdf) per source
        let kinds: Vec<(bool, bool, bool)> = self
            .sources
            .iter()
            .map(|s| {
                if s.file.is_some() || !g.rng.chance(0.4) {
                    return (false, false, false);
                }
                let k = g.rng.weighted(&[40, 35, 25]); // txt, html, both
                (k != 0, k != 1, g.rng.chance(0.05))
            })
            .collect();
        let has = |i: usize| kinds[i].0 || kinds[i].1;
        let mut citers: Vec<Vec<usize>> = vec![Vec::new(); ns];
        for (i, s) in self.sources.iter().enumerate() {
            for &c in &s.cites {
                citers[c].push(i);
            }
        }
        let mut passages: Vec<Vec<String>> = vec![Vec::new(); ns];
        for claim in &mut self.claims {
            for e in &mut claim.evidence {
                if g.rng.chance(0.25) {
                    let with_copy: Vec<usize> = citers[e.source]
                        .iter()
                        .copied()
                        .filter(|&c| has(c))
                        .collect();
                    if !with_copy.is_empty() {
                        e.via = Some(*g.rng.pick(&with_copy));
                    } else if g.rng.chance(0.2) {
                        // read in a neighbour that does not cite it (via-not-citing)
                        let v = (e.source + 1 + g.rng.below(20)) % ns;
                        e.via = (v != e.source && has(v)).then_some(v);
                    }
                    summary.via += usize::from(e.via.is_some());
                }
                let quoted = e.via.unwrap_or(e.source);
                if !has(quoted) {
                    continue;
                }
                let looked_for = if e.quote_original.is_some() {
                    &mut e.quote_original
                } else {
                    &mut e.quote
                };
                let Some(text) = looked_for.as_mut() else {
                    continue;
                };
                passages[quoted].push(text.clone());
                summary.checked += 1;
                if g.rng.chance(0.05)
                    && let Some(changed) = change_a_word(&mut g.rng, text)
                {
                    *text = changed;
                    summary.changed += 1;
                } else if g.rng.chance(0.1) {
                    *text = typographic(text);
                }
            }
        }
        for (i, passages) in passages.into_iter().enumerate() {
            let (html, txt, pdf) = kinds[i];
            if !(html || txt) {
                continue;
            }
            let org = g.org_name();
            let pool = if self.sources[i].lang == "zh" && g.rng.chance(0.5) {
                CN_SENTENCES
            } else {
                SENTENCES
            };
            let mut paragraphs = Vec::new();
            let target = g.rng.range(1500, 12000) as usize;
            let mut filled = 0;
            while filled < target {
                let n = g.rng.range(200, 900) as usize;
                let p = g.text(n, &org, pool);
                filled += p.len();
                paragraphs.push(p);
            }
            for passage in passages {
                let before = g.text(40, &org, pool);
                let after = g.text(40, &org, pool);
                let at = g.rng.below(paragraphs.len() + 1);
                paragraphs.insert(at, format!("{before} {passage} {after}"));
            }
            let curly = g.rng.chance(0.5);
            if curly {
                for p in &mut paragraphs {
                    *p = typographic(p);
                }
            }
            let s = &mut self.sources[i];
            let title = if curly {
                typographic(&s.title)
            } else {
                s.title.clone()
            };
            if html {
                let mut page = format!(
                    "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
                     <title>{t}</title>\n<style>body {{ font: 16px/1.5 serif; }} p > a {{ color: #036; }}</style>\n\
                     <script>window.analytics = {{ page: \"{id}\" }};</script>\n</head>\n<body>\n\
                     <nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav>\n<article>\n<h1>{t}</h1>\n",
                    s.lang,
                    id = s.id,
                    t = html_escape(&title, curly)
                );
                for p in &paragraphs {
                    let _ = writeln!(page, "<p>{}</p>", html_escape(p, curly));
                }
                page.push_str("</article>\n<footer>&copy; 2024</footer>\n</body>\n</html>\n");
                summary.html += 1;
                summary.text_bytes += page.len();
                s.copies.push(LocalCopy {
                    path: format!("evidence/{}.html", s.id),
                    bytes: page.into_bytes(),
                    role: "original",
                });
            }
            if txt {
                let mut text = format!("{title}\n\n");
                for p in &paragraphs {
                    text.push_str(&wrap(p));
                    text.push_str("\n\n");
                }
                summary.txt += 1;
                summary.text_bytes += text.len();
                s.copies.push(LocalCopy {
                    path: format!("evidence/{}.txt", s.id),
                    bytes: text.into_bytes(),
                    role: if html { "text" } else { "original" },
                });
            }
            if pdf {
                let &(_, bytes) = g.rng.pick(PDF_FIXTURES);
                summary.pdf += 1;
                summary.pdf_bytes += bytes.len();
                s.copies.push(LocalCopy {
                    path: format!("evidence/{}.pdf", s.id),
                    bytes: bytes.to_vec(),
                    role: "archive",
                });
            }
            summary.sources_with_copies += 1;
        }
        self.copies = true;
        summary
    }
}

// ---------------------------------------------------------------------------
// YAML writer, in the style people write by hand: block lists, flow lists for short
// words, unquoted dates and booleans, block scalars for Markdown.

fn is_reserved(s: &str) -> bool {
    YAML_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(s))
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// Free text: plain when that is safe, else double-quoted.
fn ys(s: &str) -> String {
    let plain = s.starts_with(char::is_alphabetic)
        && !s.chars().any(|c| {
            c.is_control() || matches!(c, '\u{7f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains("\t#")
        && !s.ends_with(':')
        && s == s.trim()
        && !is_reserved(s);
    if plain { s.to_owned() } else { quoted(s) }
}

/// An item of a flow sequence (`[a, b]`).
fn yf(s: &str) -> String {
    let plain = s.starts_with(char::is_alphabetic)
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '.' | '-'))
        && s == s.trim()
        && !is_reserved(s);
    if plain { s.to_owned() } else { quoted(s) }
}

fn yid(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !is_reserved(s);
    if plain { s.to_owned() } else { quoted(s) }
}

fn yblock(out: &mut String, indent: usize, key: &str, text: &str) {
    let _ = writeln!(out, "{:indent$}{key}: |", "");
    for line in text.split('\n') {
        if !line.is_empty() {
            let _ = write!(out, "{:w$}", "", w = indent + 2);
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn flow(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    format!("[{}]", items.join(", "))
}

/// Formatting choices (quoted dates and verdicts) from their own random stream, so
/// that they do not change the data.
struct Writer<'a> {
    corpus: &'a Corpus,
    rng: Rng,
}

impl Writer<'_> {
    fn date(&mut self, d: &str) -> String {
        if self.rng.chance(0.1) {
            format!("'{d}'")
        } else {
            d.to_owned()
        }
    }

    fn entity(&mut self, out: &mut String, e: &Entity) {
        let _ = writeln!(out, "  - id: {}", yid(&e.id));
        let _ = writeln!(out, "    name: {}", ys(&e.name));
        if let Some(kind) = e.kind {
            let _ = writeln!(out, "    kind: {kind}");
        }
        if !e.aliases.is_empty() {
            let _ = writeln!(
                out,
                "    aliases: {}",
                flow(e.aliases.iter().map(|a| yf(a)))
            );
        }
        if let Some(url) = &e.url {
            let _ = writeln!(out, "    url: {url}");
        }
        if let Some(d) = &e.description {
            yblock(out, 4, "description", d);
        }
    }

    fn source(&mut self, out: &mut String, s: &Source) {
        let c = self.corpus;
        let _ = writeln!(out, "  - id: {}", yid(&s.id));
        let _ = writeln!(out, "    title: {}", ys(&s.title));
        let _ = writeln!(out, "    kind: {}", s.kind);
        if let Some(p) = s.publisher {
            let _ = writeln!(out, "    publisher: {}", ys(p));
        }
        if let Some(by) = s.by {
            let _ = writeln!(out, "    by: {}", yid(&c.entities[by].id));
        }
        if let Some(a) = &s.author {
            let _ = writeln!(out, "    author: {}", ys(a));
        }
        if let Some(u) = &s.url {
            let _ = writeln!(out, "    url: {u}");
        }
        if let Some(u) = &s.archive_url {
            let _ = writeln!(out, "    archive_url: {u}");
        }
        let published = self.date(&s.published);
        let _ = writeln!(out, "    published: {published}");
        if let Some(a) = &s.accessed {
            let accessed = self.date(a);
            let _ = writeln!(out, "    accessed: {accessed}");
        }
        if let Some(l) = s.language {
            let _ = writeln!(out, "    language: {l}");
        }
        if let Some(r) = s.reliability {
            let _ = writeln!(out, "    reliability: {r}");
        }
        if !s.cites.is_empty() {
            let cites = flow(s.cites.iter().map(|&i| yid(&c.sources[i].id)));
            let _ = writeln!(out, "    cites: {cites}");
        }
        if let Some((path, bytes)) = &s.file {
            let hex = sha256_hex(bytes);
            let _ = writeln!(out, "    file: {path}");
            let _ = writeln!(out, "    sha256: {hex}");
        }
        if !s.copies.is_empty() {
            out.push_str("    files:\n");
            for copy in &s.copies {
                let _ = writeln!(out, "      - path: {}", copy.path);
                let _ = writeln!(out, "        sha256: {}", sha256_hex(&copy.bytes));
                let _ = writeln!(out, "        role: {}", copy.role);
            }
        }
        if let Some(n) = &s.notes {
            yblock(out, 4, "notes", n);
        }
    }

    fn claim(&mut self, out: &mut String, cl: &Claim) {
        let c = self.corpus;
        let _ = writeln!(out, "  - id: {}", yid(&cl.id));
        let _ = writeln!(out, "    statement: {}", ys(&cl.statement));
        if let Some(e) = cl.claimant {
            let _ = writeln!(out, "    claimant: {}", yid(&c.entities[e].id));
        }
        if !cl.about.is_empty() {
            let about = flow(cl.about.iter().map(|&e| yid(&c.entities[e].id)));
            let _ = writeln!(out, "    about: {about}");
        }
        if let Some(d) = &cl.date {
            let date = self.date(d);
            let _ = writeln!(out, "    date: {date}");
        }
        if let Some(s) = cl.appearance {
            let _ = writeln!(out, "    appearance: {}", yid(&c.sources[s].id));
        }
        if !cl.tags.is_empty() {
            let _ = writeln!(out, "    tags: {}", flow(cl.tags.iter().map(|t| yf(t))));
        }
        if let Some(v) = cl.verdict {
            // `true`/`false` mostly as YAML booleans, sometimes quoted
            if matches!(v, "true" | "false") && self.rng.chance(0.15) {
                let _ = writeln!(out, "    verdict: \"{v}\"");
            } else {
                let _ = writeln!(out, "    verdict: {v}");
            }
        }
        if let Some(n) = &cl.verdict_note {
            yblock(out, 4, "verdict_note", n);
        }
        if !cl.evidence.is_empty() {
            out.push_str("    evidence:\n");
            for e in &cl.evidence {
                let _ = writeln!(out, "      - source: {}", yid(&c.sources[e.source].id));
                if let Some(via) = e.via {
                    let _ = writeln!(out, "        via: {}", yid(&c.sources[via].id));
                }
                let _ = writeln!(out, "        stance: {}", e.stance);
                if let Some(q) = &e.quote {
                    let _ = writeln!(out, "        quote: {}", ys(q));
                }
                if let Some(q) = &e.quote_original {
                    let _ = writeln!(out, "        quote_original: {}", ys(q));
                }
                if let Some(l) = &e.locator {
                    let _ = writeln!(out, "        locator: {}", ys(l));
                }
                if let Some(cr) = e.credibility {
                    let _ = writeln!(out, "        credibility: {cr}");
                }
                if let Some(n) = &e.note {
                    yblock(out, 8, "note", n);
                }
            }
        }
        if !cl.related.is_empty() {
            out.push_str("    related:\n");
            for &(t, relation) in &cl.related {
                let _ = writeln!(out, "      - claim: {}", yid(&c.claims[t].id));
                let _ = writeln!(out, "        relation: {relation}");
            }
        }
    }
}

/// Item `i` of `total` goes to file `i * files / total`.
fn spread(total: usize, files: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = vec![0..0; files];
    let mut start = 0;
    for (k, range) in ranges.iter_mut().enumerate() {
        // the first i with i * files / total > k
        let end = (((k + 1) * total).div_ceil(files)).min(total);
        *range = start..end.max(start);
        start = range.end;
    }
    ranges
}

impl Corpus {
    /// Writes the repository into `dir` (created) with the sources and claims spread
    /// over `files` files; returns the data files written, relative to `dir`.
    pub fn write_repo(&self, dir: &Path, files: usize) -> std::io::Result<Vec<PathBuf>> {
        let files = files.clamp(1, self.n_claims.max(1));
        std::fs::create_dir_all(dir.join("claims"))?;
        let mut w = Writer {
            corpus: self,
            rng: Rng::new(self.seed.wrapping_mul(7919).wrapping_add(1)),
        };
        std::fs::write(
            dir.join("corroborate.yaml"),
            format!(
                "# Generated by examples/gen_corpus.rs --claims {n} --files {files} --seed {seed}{copies}\n\
                 title: Synthetic research repository ({n} claims)\n\
                 description: |\n  \
                   A **synthetic** corpus for benchmarking. Claims, sources and entities are\n  \
                   generated; any resemblance to real events is a property of the word lists.\n\
                 base_url: https://research.example.org/corroborate/\n\
                 lints:\n  \
                   missing-archive: warn\n  \
                   missing-quote: warn\n  \
                   unused-source: allow\n",
                n = self.n_claims,
                seed = self.seed,
                copies = if self.copies { " --copies" } else { "" }
            ),
        )?;
        let mut written = Vec::with_capacity(files + 1);
        let mut out = String::from("# Who makes claims and who claims are about\nentities:\n");
        for e in &self.entities {
            w.entity(&mut out, e);
        }
        let rel = PathBuf::from("claims/entities.yaml");
        std::fs::write(dir.join(&rel), &out)?;
        written.push(rel);

        let source_ranges = spread(self.sources.len(), files);
        let claim_ranges = spread(self.claims.len(), files);
        for (k, (srange, crange)) in source_ranges.into_iter().zip(claim_ranges).enumerate() {
            let topic = TOPICS[k % TOPICS.len()];
            out.clear();
            let _ = writeln!(out, "# {}, part {k}", topic.replace('-', " "));
            if !srange.is_empty() {
                out.push_str("sources:\n");
                for s in &self.sources[srange.clone()] {
                    w.source(&mut out, s);
                }
            }
            if !crange.is_empty() {
                if !srange.is_empty() {
                    out.push('\n');
                }
                out.push_str("claims:\n");
                for c in &self.claims[crange] {
                    w.claim(&mut out, c);
                }
            }
            std::fs::create_dir_all(dir.join("claims").join(topic))?;
            let rel = PathBuf::from(format!("claims/{topic}/{topic}-{k:05}.yaml"));
            std::fs::write(dir.join(&rel), &out)?;
            written.push(rel);
        }
        for s in &self.sources {
            if let Some((path, bytes)) = &s.file {
                let p = dir.join(path);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(p, bytes)?;
            }
            for copy in &s.copies {
                let p = dir.join(&copy.path);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(p, &copy.bytes)?;
            }
        }
        Ok(written)
    }

    /// Writes the same claims and support/attack relations as an Argdown document.
    pub fn write_argdown(&self, path: &Path, files: usize) -> std::io::Result<()> {
        let files = files.clamp(1, self.n_claims.max(1));
        let nc = self.claims.len();
        let mut out = String::new();
        let _ = write!(
            out,
            "===\ntitle: Synthetic research repository ({nc} claims)\n===\n\n# Synthetic research repository ({nc} claims)\n\n"
        );
        let source_ranges = spread(self.sources.len(), files);
        let claim_ranges = spread(nc, files);
        for (k, (srange, crange)) in source_ranges.into_iter().zip(claim_ranges).enumerate() {
            let topic = TOPICS[k % TOPICS.len()];
            let _ = write!(out, "## {} part {k}\n\n", topic.replace('-', " "));
            for s in &self.sources[srange] {
                let _ = writeln!(out, "<{}>: {}", s.id, ad_text(&s.title));
                for &c in &s.cites {
                    let _ = writeln!(out, "  + <{}>", self.sources[c].id);
                }
                out.push('\n');
            }
            for c in &self.claims[crange] {
                let _ = write!(out, "[{}]: {}", c.id, ad_text(&c.statement));
                for t in &c.tags {
                    if t.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                    {
                        let _ = write!(out, " #{t}");
                    } else {
                        let _ = write!(out, " #({t})");
                    }
                }
                out.push('\n');
                for e in &c.evidence {
                    let sym = match e.stance {
                        "supports" => "+",
                        "contradicts" => "-",
                        _ => continue,
                    };
                    let sid = &self.sources[e.source].id;
                    match &e.quote {
                        Some(q) => {
                            let _ = writeln!(out, "  {sym} <{sid}>: {}", ad_text(q));
                        }
                        None => {
                            let _ = writeln!(out, "  {sym} <{sid}>");
                        }
                    }
                }
                for &(t, relation) in &c.related {
                    let sym = match relation {
                        "supports" => "+>",
                        "contradicts" => "->",
                        _ => continue,
                    };
                    let _ = writeln!(out, "  {sym} [{}]", self.claims[t].id);
                }
                out.push('\n');
            }
        }
        std::fs::write(path, out)
    }
}

/// Text as Argdown reads it literally: no markup characters, one line, and no leading
/// relation symbol or list number.
fn ad_text(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(
                c,
                '[' | ']' | '<' | '>' | '#' | '@' | '*' | '_' | '\\' | '`' | '{' | '}'
            ) || c.is_whitespace()
            {
                ' '
            } else {
                c
            }
        })
        .collect();
    let joined = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let numbered = {
        let digits = joined.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && joined.as_bytes().get(digits) == Some(&b'.')
    };
    if joined.starts_with(['+', '-', '>', '<', '=', '/']) || numbered {
        format!("— {joined}")
    } else {
        joined
    }
}

// ---------------------------------------------------------------------------
// Command line

const USAGE: &str = concat!(
    "usage: gen_corpus --claims N --out DIR [--files F] [--seed S] [--argdown FILE] [--copies]\n",
    "  --claims N       number of claims (sources about N/2, entities N/20)\n",
    "  --out DIR        repository folder to write (created; must be empty or absent)\n",
    "  --files F        number of claim files in claims/<topic>/ (default N/50, at least 1)\n",
    "  --seed S         random seed (default 1); the same N and seed give the same data\n",
    "  --argdown FILE   also write the same claims and relations as an Argdown document\n",
    "  --copies         also give sources local copies (`files:`) holding their quotes, and\n",
    "                   items `via` (for timing quote checks; the default output is unchanged)",
);

struct Args {
    claims: usize,
    out: Option<PathBuf>,
    files: Option<usize>,
    seed: u64,
    argdown: Option<PathBuf>,
    copies: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut claims = None;
    let mut out = None;
    let mut files = None;
    let mut seed = 1;
    let mut argdown = None;
    let mut copies = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        if flag == "--copies" && inline.is_none() {
            copies = true;
            continue;
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("{flag} needs a value")),
        };
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--claims" => claims = Some(number(&value)? as usize),
            "--out" => out = Some(PathBuf::from(value)),
            "--files" => files = Some(number(&value)? as usize),
            "--seed" => seed = number(&value)?,
            "--argdown" => argdown = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let claims = claims.ok_or("--claims N is required")?;
    if claims < 1 {
        return Err("--claims must be at least 1".to_owned());
    }
    if out.is_none() && argdown.is_none() {
        return Err("give --out DIR and/or --argdown FILE".to_owned());
    }
    Ok(Args {
        claims,
        out,
        files,
        seed,
        argdown,
        copies,
    })
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("gen_corpus: {message}");
            }
            eprintln!("{USAGE}");
            return std::process::ExitCode::from(if message.is_empty() { 0 } else { 2 });
        }
    };
    let files = args
        .files
        .filter(|&f| f > 0)
        .unwrap_or(args.claims / 50)
        .clamp(1, args.claims);
    if let Some(out) = &args.out
        && std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some())
    {
        eprintln!("gen_corpus: {} exists and is not empty", out.display());
        return std::process::ExitCode::from(2);
    }
    let mut corpus = Corpus::generate(args.claims, args.seed);
    let copies = args.copies.then(|| corpus.add_copies());
    if let Some(out) = &args.out
        && let Err(e) = corpus.write_repo(out, files)
    {
        eprintln!("gen_corpus: cannot write {}: {e}", out.display());
        return std::process::ExitCode::from(1);
    }
    if let Some(path) = &args.argdown
        && let Err(e) = corpus.write_argdown(path, files)
    {
        eprintln!("gen_corpus: cannot write {}: {e}", path.display());
        return std::process::ExitCode::from(1);
    }
    eprintln!("{}", corpus.summary(files));
    if let Some(copies) = copies {
        eprintln!("{copies}");
    }
    std::process::ExitCode::SUCCESS
}
