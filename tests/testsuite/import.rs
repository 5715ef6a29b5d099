//! `corroborate import csl-json`: a Zotero export turned into sources that pass
//! `check`, imported again without duplicates or lost edits, matched by import key,
//! DOI and URL; `--dry-run`, `--strict`; hostile input refused in bounded time.

use crate::support::{Scratch, corroborate, fixture};

fn case() -> Scratch {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "title: Imports\n");
    repo.write(
        "claims/own.yaml",
        "# The researcher's own sources\nsources:\n  - id: zenz-by-hand   # typed in before Zotero\n    title: Zenz on internment\n    doi: 10.1234/JPR.2019.0007\n    reliability: B\n  - id: cetc-stake\n    title: CETC stake\n    url: https://ipvm.com/reports/hik-cetc\n    notes: Checked against the filing.\n",
    );
    repo
}

/// `import FORMAT FILE` under the memory cap, failing past `seconds`.
fn import_bounded(
    repo: &Scratch,
    format: &str,
    file: &std::path::Path,
    seconds: u64,
) -> crate::support::Run {
    crate::support::run_bounded(
        repo.path(),
        &["import", format, &file.display().to_string()],
        &[],
        std::time::Duration::from_secs(seconds),
    )
}

fn library() -> String {
    fixture("import/zotero-library.json").display().to_string()
}

fn read(repo: &Scratch, rel: &str) -> String {
    std::fs::read_to_string(repo.path().join(rel)).unwrap_or_else(|err| panic!("{rel}: {err}"))
}

#[test]
fn a_zotero_library_becomes_sources_that_pass_check() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "title: Imports\n");
    std::fs::create_dir(repo.path().join("claims")).expect("the data folder");
    let run = corroborate(repo.path(), &["import", "csl-json", &library()]);
    assert_eq!(run.code, 1, "one item has no title: {}", run.stderr);
    assert!(
        run.stderr.contains("zotero-library.json: item 4 (id http://zotero.org/users/local/cW3kXn7S/items/PP4R2ZUX): it has no `title`; skipped\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("item 3") && run.stderr.contains("is a range; only its start is kept"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("imported: 3 new source(s) into claims/imported/zotero-library.yaml, 0 updated, 0 unchanged; 1 item(s) skipped"), "{}", run.stderr);
    assert_eq!(
        read(&repo, "claims/imported/zotero-library.yaml"),
        "# Records imported by `corroborate import` from zotero-library.json.
# Edit them freely: importing again updates only the imported fields.
sources:
  - id: rollet2018
    title: Hikvision Wins Chinese Government Firm 50% Stake
    kind: report
    publisher: IPVM
    author: Charles Rollet
    url: https://ipvm.com/reports/hik-cetc
    published: 2018-11
    accessed: 2019-03-02
    language: en
    import_key: zotero:rollet2018
  - id: xinhua2017
    title: 新疆维吾尔自治区公共安全视频监控项目中标公告
    kind: news
    publisher: 新华社
    author: 李明; 新华社记者
    url: https://www.news.cn/2017/xinjiang-video-surveillance
    published: 2017-05-20
    language: zh-Hans
    import_key: zotero:xinhua2017
    archives:
      - url: https://web.archive.org/web/20170601000000/https://www.news.cn/2017/xinjiang-video-surveillance
  - id: zenz2019
    title: Brainwashing, Police Guards and Coercive Internment
    kind: academic
    publisher: Journal of Political Risk
    author: Adrian Zenz
    published: 2019-07
    doi: 10.1234/jpr.2019.0007
    import_key: zotero:zenz2019
"
    );
    let check = corroborate(repo.path(), &["check", "--format", "json"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    // Again: nothing changes, byte for byte.
    let before = crate::support::tree(repo.path());
    let again = corroborate(repo.path(), &["import", "csl-json", &library()]);
    assert!(
        again.stderr.contains("0 new source(s)") && again.stderr.contains("0 updated, 3 unchanged"),
        "{}",
        again.stderr
    );
    assert_eq!(crate::support::tree(repo.path()), before);
}

#[test]
fn importing_again_updates_the_imported_fields_and_keeps_the_researchers() {
    let repo = case();
    let first = corroborate(repo.path(), &["import", "csl-json", &library()]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    // Matched by DOI (any case) and by URL: no second copy of either.
    assert!(
        first.stderr.contains("1 new source(s)") && first.stderr.contains("2 updated"),
        "{}",
        first.stderr
    );
    let own = read(&repo, "claims/own.yaml");
    assert_eq!(
        own,
        "# The researcher's own sources\nsources:\n  - id: zenz-by-hand   # typed in before Zotero\n    kind: academic\n    publisher: Journal of Political Risk\n    author: Adrian Zenz\n    published: 2019-07\n    import_key: zotero:zenz2019\n    title: Brainwashing, Police Guards and Coercive Internment\n    doi: 10.1234/jpr.2019.0007\n    reliability: B\n  - id: cetc-stake\n    kind: report\n    publisher: IPVM\n    author: Charles Rollet\n    published: 2018-11\n    accessed: 2019-03-02\n    language: en\n    import_key: zotero:rollet2018\n    title: Hikvision Wins Chinese Government Firm 50% Stake\n    url: https://ipvm.com/reports/hik-cetc\n    notes: Checked against the filing.\n"
    );
    // The researcher edits an imported source and adds one of their own fields.
    let imported = read(&repo, "claims/imported/zotero-library.yaml");
    let edited = imported.replace(
        "    import_key: zotero:xinhua2017\n",
        "    import_key: zotero:xinhua2017\n    reliability: E   # state media\n    sensitive: false\n",
    );
    repo.write("claims/imported/zotero-library.yaml", &edited);
    // The library changes upstream: a corrected title.
    let changed = std::fs::read_to_string(library())
        .expect("library")
        .replace("中标公告", "中标结果公告");
    repo.write("library.json", &changed);
    let lib = repo.path().join("library.json").display().to_string();
    let dry = corroborate(
        repo.path(),
        &[
            "import",
            "csl-json",
            &lib,
            "--into",
            "claims/imported/zotero-library.yaml",
            "--dry-run",
        ],
    );
    assert!(dry.stdout.contains("-    title: 新疆维吾尔自治区公共安全视频监控项目中标公告\n+    title: 新疆维吾尔自治区公共安全视频监控项目中标结果公告\n"), "{}", dry.stdout);
    assert_eq!(
        read(&repo, "claims/imported/zotero-library.yaml"),
        edited,
        "a dry run writes nothing"
    );
    let second = corroborate(
        repo.path(),
        &[
            "import",
            "csl-json",
            &lib,
            "--into",
            "claims/imported/zotero-library.yaml",
        ],
    );
    assert!(
        second.stderr.contains("0 new source(s)")
            && second.stderr.contains("1 updated, 2 unchanged"),
        "{}",
        second.stderr
    );
    let after = read(&repo, "claims/imported/zotero-library.yaml");
    assert_eq!(after, edited.replace("中标公告", "中标结果公告"));
    assert!(after.contains("    reliability: E   # state media\n"));
    assert_eq!(read(&repo, "claims/own.yaml"), own);
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
}

#[test]
fn strict_imports_nothing_when_an_item_cannot_be_imported() {
    let repo = case();
    let before = crate::support::tree(repo.path());
    let run = corroborate(repo.path(), &["import", "csl-json", &library(), "--strict"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--strict: 1 item(s) cannot be imported, so nothing was"),
        "{}",
        run.stderr
    );
    assert_eq!(crate::support::tree(repo.path()), before);
}

#[test]
fn a_target_outside_the_data_folder_or_a_broken_input_is_refused() {
    let repo = case();
    for into in [
        "../elsewhere.yaml",
        "claims/../x.yaml",
        "notes/x.yaml",
        "claims/x.json",
        "/tmp/x.yaml",
    ] {
        let run = corroborate(
            repo.path(),
            &["import", "csl-json", &library(), "--into", into],
        );
        assert_eq!(run.code, 2, "{into}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("--into must name a .yaml file inside the data folder"),
            "{}",
            run.stderr
        );
    }
    let before = crate::support::tree(repo.path());
    let bad = [
        ("truncated.json", b"[{\"id\": \"a\", \"title\": ".to_vec()),
        (
            "latin1.json",
            b"[{\"id\": \"a\", \"title\": \"caf\xe9\"}]".to_vec(),
        ),
        (
            "deep.json",
            format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).into_bytes(),
        ),
        ("number.json", b"42".to_vec()),
    ];
    for (name, bytes) in bad {
        let path = repo.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let run = import_bounded(&repo, "csl-json", &path, 20);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        std::fs::remove_file(&path).expect("remove");
    }
    // A file past the limit is refused before it is read (a sparse 1 GB file).
    let huge = repo.path().join("huge.json");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let run = corroborate(
        repo.path(),
        &["import", "csl-json", &huge.display().to_string()],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is larger than 256 MiB"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&huge).expect("remove");
    assert_eq!(crate::support::tree(repo.path()), before, "nothing written");
}

#[test]
fn an_import_key_names_one_record() {
    let repo = Scratch::new();
    repo.write(
        "claims/a.yaml",
        "sources:\n  - id: a\n    title: A\n    import_key: zotero:X1\n  - id: b\n    title: B\n    import_key: zotero:X1\n    doi: https://doi.org/10.1/x\nclaims:\n  - id: c\n    statement: S.\n    import_key: claimreview\n",
    );
    let (code, json) = repo.check_json();
    assert_eq!(code, 1);
    let messages: Vec<String> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d["line"],
                d["column"],
                d["code"],
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            "7:17 \"duplicate-id\" the import key `zotero:X1` is already the source's at claims/a.yaml:4:17; an import key names one record of the repository",
            "8:10 \"invalid-value\" `https://doi.org/10.1/x` is not a DOI; write it as `10.NNNN/suffix`, without `https://doi.org/`",
            "12:17 \"invalid-value\" `claimreview` is not an import key; write `SCHEME:VALUE` with a scheme of zotero, bibtex, doi, claimreview, csv",
        ]
    );
}

#[test]
fn a_jabref_library_becomes_sources_and_a_second_run_changes_nothing() {
    let repo = Scratch::new();
    repo.write("corroborate.yaml", "title: Imports\n");
    std::fs::create_dir(repo.path().join("claims")).expect("the data folder");
    let bib = fixture("import/jabref.bib").display().to_string();
    let run = corroborate(repo.path(), &["import", "bibtex", &bib]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("jabref.bib:38: entry untitled: it has no `title` or `booktitle`; skipped\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("jabref.bib:25: entry Zenz2019: `date` is a range; only its start is kept\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        read(&repo, "claims/imported/jabref.yaml"),
        "# Records imported by `corroborate import` from jabref.bib.
# Edit them freely: importing again updates only the imported fields.
sources:
  - id: rollet2018
    title: Hikvision Wins Chinese Government Firm 50% Stake
    kind: website
    publisher: IPVM
    author: Charles Rollet
    url: https://ipvm.com/reports/hik-cetc
    published: 2018-11-02
    accessed: 2019-03-02
    language: en
    import_key: bibtex:Rollet2018
  - id: hrw2019
    title: China's Algorithms of Repression
    kind: report
    publisher: Human Rights Watch
    author: Human Rights Watch
    url: https://www.hrw.org/report/2019/05/01/chinas-algorithms-repression
    published: 2019-05
    import_key: bibtex:HRW2019
  - id: zenz2019
    title: Brainwashing, Police Guards and Coercive Internment
    kind: academic
    publisher: Journal of Political Risk
    author: Adrian Zenz
    published: 2019-07
    doi: 10.1234/jpr.2019.0007
    import_key: bibtex:Zenz2019
  - id: xinjiang2020
    title: 新疆：Tianlang 视频监控
    kind: media
    published: 2020
    import_key: bibtex:Xinjiang2020
"
    );
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    let before = crate::support::tree(repo.path());
    let again = corroborate(repo.path(), &["import", "bibtex", &bib]);
    assert!(
        again.stderr.contains("0 new source(s)") && again.stderr.contains("0 updated, 4 unchanged"),
        "{}",
        again.stderr
    );
    assert_eq!(crate::support::tree(repo.path()), before);
    // The same sources from Zotero are matched by DOI and URL, not added twice.
    let zotero = corroborate(repo.path(), &["import", "csl-json", &library()]);
    assert!(
        zotero.stderr.contains("1 new source(s)") && zotero.stderr.contains("2 updated"),
        "{}",
        zotero.stderr
    );
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
}

#[test]
fn a_brace_bomb_is_refused_in_bounded_time() {
    let repo = case();
    let bomb = repo.path().join("bomb.bib");
    std::fs::write(
        &bomb,
        format!(
            "@misc{{a, title = {}x{}}}",
            "{".repeat(1_000_000),
            "}".repeat(1_000_000)
        ),
    )
    .expect("write");
    let run = import_bounded(&repo, "bibtex", &bomb, 20);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("nests braces more than 64 deep (line 1)"),
        "{}",
        run.stderr
    );
}

#[test]
fn fact_checks_become_claims_with_the_review_as_context_and_never_a_verdict() {
    let repo = Scratch::new();
    repo.write(
        "claims/case.yaml",
        "entities:\n  - id: hikvision\n    name: Hangzhou Hikvision Digital Technology\n    aliases: [Hikvision]\n    kind: organization\n",
    );
    let page = fixture("import/factcheck-page.html").display().to_string();
    let api = fixture("import/factcheck-api.json").display().to_string();
    let run = corroborate(
        repo.path(),
        &[
            "import",
            "claimreview",
            &page,
            &api,
            "--into",
            "claims/imported/fact-checks.yaml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("imported: 2 new claim(s) into claims/imported/fact-checks.yaml"),
        "{}",
        run.stderr
    );
    let written = read(&repo, "claims/imported/fact-checks.yaml");
    assert_eq!(
        written,
        r#"# Records imported by `corroborate import` from factcheck-page.html, factcheck-api.json.
# Edit them freely: importing again updates only the imported fields.
entities:
  - id: provereno
    name: Проверено
    kind: organization
  - id: fatabyyano
    name: Fatabyyano
    kind: organization
sources:
  - id: hikvision-statement-2019
    title: Заявление компании
    kind: website
    url: https://www.hikvision.example.com/statement-2019
  - id: factcheck-2019-kamery
    title: "Проверка фактов: «Камеры — это просто продукт»"
    kind: website
    publisher: Проверено
    by: provereno
    url: https://factcheck.example.ru/2019/kamery
    published: 2019-05-03
    language: ru
  - id: fatabyyano-cameras-traffic
    title: الكاميرات ليست لمراقبة المرور فقط
    kind: website
    publisher: Fatabyyano
    by: fatabyyano
    url: https://fatabyyano.example.net/cameras-traffic
    published: 2020-02-14
    language: ar
claims:
  - id: kompaniya-lish-postavlyaet-produktsiyu-i-ne-uchastvuet-v
    statement: Компания лишь поставляет продукцию и не участвует в эксплуатации систем.
    claimant: hikvision
    date: 2019-04-10
    appearance: hikvision-statement-2019
    import_key: claimreview:https://factcheck.example.ru/2019/kamery
    evidence:
      - source: factcheck-2019-kamery
        stance: context
        note: "Rated \"Вводит в заблуждение\" by Проверено."
  - id: claim-fatabyyano-cameras-traffic
    statement: الكاميرات تستخدم فقط لمراقبة حركة المرور
    date: 2020-02-11
    import_key: claimreview:https://fatabyyano.example.net/cameras-traffic
    evidence:
      - source: fatabyyano-cameras-traffic
        stance: context
        note: "Rated \"مضلل\" by Fatabyyano. The review names the claimant as \"Social media users\", which is no one, so the claim has no claimant."
"#
    );
    assert!(
        !written.contains("verdict"),
        "another desk's rating is evidence, not a verdict"
    );
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    let before = crate::support::tree(repo.path());
    let again = corroborate(
        repo.path(),
        &[
            "import",
            "claimreview",
            &page,
            &api,
            "--into",
            "claims/imported/fact-checks.yaml",
        ],
    );
    assert!(
        again.stderr.contains("0 new claim(s)") && again.stderr.contains("2 unchanged"),
        "{}",
        again.stderr
    );
    assert_eq!(crate::support::tree(repo.path()), before);
}

#[test]
fn spreadsheets_become_sources_or_claims_as_their_map_says() {
    let repo = Scratch::new();
    repo.write(
        "claims/case.yaml",
        "entities:\n  - id: hikvision\n    name: Hikvision\n",
    );
    let csv = |name: &str| fixture(&format!("import/{name}")).display().to_string();
    let run = corroborate(
        repo.path(),
        &[
            "import",
            "csv",
            &csv("inventory.csv"),
            "--map",
            &csv("inventory-map.yaml"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("inventory.csv:4: its title is empty; skipped\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("inventory.csv:3:5: `published` `2019-13` is not valid; left out\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        read(&repo, "claims/imported/inventory.yaml"),
        r#"# Records imported by `corroborate import` from inventory.csv.
# Edit them freely: importing again updates only the imported fields.
sources:
  - id: s1
    title: "City hands network to Tianlang; \"a quiet deal\""
    publisher: Lakeside Daily
    url: https://lakeside-daily.example.org/2019/04/city-hands-network
    published: 2019-04-10
    language: en
    import_key: csv:inventory.csv:S1
  - id: s2
    title: Жители против камер
    publisher: Новости
    url: https://news.example.ru/kamery
    language: ru
    import_key: csv:inventory.csv:S2
"#
    );
    let run = corroborate(
        repo.path(),
        &[
            "import",
            "csv",
            &csv("claimskg.csv"),
            "--map",
            &csv("claimskg-map.yaml"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let claims = read(&repo, "claims/imported/claimskg.yaml");
    assert!(
        claims.contains("    claimant: hikvision\n"),
        "matched by name: {claims}"
    );
    assert!(
        claims.contains("entities:\n  - id: city-of-lakeside\n    name: City of Lakeside\n"),
        "{claims}"
    );
    assert!(
        claims.contains("    import_key: csv:claimskg.csv:https://factcheck.example.org/b\n"),
        "{claims}"
    );
    assert!(!claims.contains("verdict"), "{claims}");
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    let before = crate::support::tree(repo.path());
    for (data, map) in [
        ("inventory.csv", "inventory-map.yaml"),
        ("claimskg.csv", "claimskg-map.yaml"),
    ] {
        corroborate(
            repo.path(),
            &["import", "csv", &csv(data), "--map", &csv(map)],
        );
    }
    assert_eq!(
        crate::support::tree(repo.path()),
        before,
        "a second run changes nothing"
    );
    let run = corroborate(repo.path(), &["import", "csv", &csv("claimskg.csv")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`import csv` needs --map MAP.yaml"),
        "{}",
        run.stderr
    );
}

#[test]
fn manubots_real_crossref_csl_json_passes_check() {
    let repo = Scratch::new();
    std::fs::create_dir(repo.path().join("claims")).expect("the data folder");
    let real = |name: &str| {
        fixture(&format!("import/manubot/{name}"))
            .display()
            .to_string()
    };
    let run = corroborate(
        repo.path(),
        &[
            "import",
            "csl-json",
            &real("crossref-deep-review.json"),
            &real("excess-date-parts.json"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "excess-date-parts.json: item 1 (id excess-date-parts-csl): it has no `title`; skipped"
        ),
        "{}",
        run.stderr
    );
    let text = read(&repo, "claims/imported/crossref-deep-review.yaml");
    for line in [
        "  - id: pzmp42ak\n",
        "    title: Opportunities and obstacles for deep learning in biology and medicine\n",
        "    kind: academic\n",
        "    publisher: The Royal Society\n",
        "    author: Travers Ching; Daniel S. Himmelstein; ",
        "; Anthony Gitter; Casey S. Greene\n",
        "    published: 2018-04\n",
        "    doi: 10.1098/rsif.2017.0387\n",
        "    import_key: zotero:PZMP42Ak\n",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
    // The DOI is shown, and linked where it resolves.
    let out = repo.path().join("site");
    let built = corroborate(
        repo.path(),
        &["build", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(built.code, 0, "{}", built.stderr);
    let page = std::fs::read_to_string(out.join("sources/pzmp42ak.html")).expect("page");
    assert!(
        page.contains("<dt>DOI</dt><dd><a href=\"https://doi.org/10.1098/rsif.2017.0387\" rel=\"nofollow noreferrer\">10.1098/rsif.2017.0387</a></dd>"),
        "{page}"
    );
    let shown = corroborate(repo.path(), &["show", "pzmp42ak"]);
    assert!(
        shown.stdout.contains("10.1098/rsif.2017.0387") && shown.stdout.contains("zotero:PZMP42Ak"),
        "{}",
        shown.stdout
    );
}

#[test]
fn jabrefs_own_test_library_passes_check() {
    let repo = Scratch::new();
    std::fs::create_dir(repo.path().join("claims")).expect("the data folder");
    let bib = fixture("import/jabref/utf8-bom.bib").display().to_string();
    let run = corroborate(repo.path(), &["import", "bibtex", &bib]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&repo, "claims/imported/utf8-bom.yaml");
    for line in [
        "  - id: aal2005\n",
        "    title: \"Pi Calculus Versus Petri Nets: Let Us Eat Humble Pie Rather Than Further Inflate the Pi Hype\"\n",
        "    author: W.M.P. van der Aalst\n",
        "    published: 2005-05\n",
        "  - id: hsu1993\n",
        "    title: Special issue on workflow and extented transaction systems\n",
        "    publisher: IEEE Computer Society\n",
        "    published: 1993-06\n",
        "    import_key: bibtex:Hsu1993\n",
    ] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert_eq!(corroborate(repo.path(), &["check"]).code, 0);
}

#[test]
fn a_line_of_many_megabytes_is_refused_under_a_memory_cap() {
    let repo = case();
    let before = crate::support::tree(repo.path());
    let long = repo.path().join("long.json");
    std::fs::write(
        &long,
        format!(
            "[{{\"id\": \"a\", \"title\": \"{}\"}}]",
            "x".repeat(100 << 20)
        ),
    )
    .expect("write");
    let run = import_bounded(&repo, "csl-json", &long, 60);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("item 1 (id a): its `title` is longer than 20 KB"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(&long).expect("remove");
    assert_eq!(crate::support::tree(repo.path()), before, "nothing written");
}

#[test]
fn a_fifo_given_as_input_is_refused_not_waited_on() {
    let repo = case();
    let fifo = repo.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let run = import_bounded(&repo, "csl-json", &fifo, 10);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is a FIFO"), "{}", run.stderr);
}
