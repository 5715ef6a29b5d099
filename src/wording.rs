//! The words for the data's fixed values and for what the analysis finds, shared by
//! the HTML report and the terminal commands so that a reader sees the same wording
//! in both.

use crate::model::{Balance, Relation, Reliability, Stance, Verdict};

pub fn verdict(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::True => "True",
        Verdict::MostlyTrue => "Mostly true",
        Verdict::Mixed => "Mixed",
        Verdict::MostlyFalse => "Mostly false",
        Verdict::False => "False",
        Verdict::Unproven => "Unproven",
    }
}

pub fn balance(balance: Balance) -> &'static str {
    match balance {
        Balance::NoEvidence => "No evidence",
        Balance::Supported => "Supported",
        Balance::Contradicted => "Contradicted",
        Balance::Contested => "Contested",
    }
}

/// Admiralty source reliability, as FORMAT.md words it.
pub fn reliability(grade: Reliability) -> &'static str {
    match grade {
        Reliability::A => "completely reliable",
        Reliability::B => "usually reliable",
        Reliability::C => "fairly reliable",
        Reliability::D => "not usually reliable",
        Reliability::E => "unreliable",
        Reliability::F => "reliability cannot be judged",
    }
}

/// Admiralty information credibility, as FORMAT.md words it.
pub fn credibility(n: u8) -> &'static str {
    match n {
        1 => "confirmed by other sources",
        2 => "probably true",
        3 => "possibly true",
        4 => "doubtful",
        5 => "improbable",
        _ => "truth cannot be judged",
    }
}

/// A relation seen from the claim it names: "supported by", "contradicted by".
pub fn relation_from(relation: Relation) -> &'static str {
    match relation {
        Relation::Supports => "supported by",
        Relation::Contradicts => "contradicted by",
        Relation::Refines => "refined by",
    }
}

/// "1 source", "3 sources".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

/// The word alone for `n` things: `one` for 1, else `many`.
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// One side of the evidence in a few words: "3 sources, 1 independent origin".
pub fn side(sources: usize, independent: usize) -> String {
    if sources == 0 {
        "none".to_owned()
    } else {
        format!(
            "{}, {}",
            plural(sources, "source", "sources"),
            plural(independent, "independent origin", "independent origins")
        )
    }
}

/// The warning for a side whose sources share origins (circular reporting), so that
/// a reader does not count rewrites of one story as corroboration.
pub fn shared_origins(stance: Stance, sources: usize, origins: usize) -> Option<String> {
    (sources > 1 && origins < sources).then(|| {
        format!(
            "{} {} this claim, but they trace back to {}: count them as {}, not {sources}.",
            plural(sources, "source", "sources"),
            if stance == Stance::Supports {
                "support"
            } else {
                "contradict"
            },
            plural(origins, "origin", "origins"),
            plural(origins, "independent origin", "independent origins"),
        )
    })
}

/// How many places a side's evidence was read in: "read in 2 places".
pub fn read_in(channels: usize) -> String {
    format!("read in {}", plural(channels, "place", "places"))
}

/// The warning for a side whose several origins were all read in one place (one
/// channel), so that a reader knows they stand on one account of them.
pub fn single_channel(stance: Stance, origins: usize, channels: usize) -> Option<String> {
    (origins > 1 && channels == 1).then(|| {
        format!(
            "all {origins} {} origins were read in one place; they rest on its account of them until one is found at first hand.",
            if stance == Stance::Supports {
                "supporting"
            } else {
                "contradicting"
            },
        )
    })
}

/// The sentence for a verdict that the recorded evidence goes against, if it does.
pub fn verdict_conflict(verdict: Verdict, balance: Balance) -> Option<String> {
    let conflict = match verdict {
        Verdict::True | Verdict::MostlyTrue => balance == Balance::Contradicted,
        Verdict::False | Verdict::MostlyFalse => balance == Balance::Supported,
        _ => false,
    };
    conflict.then(|| {
        format!(
            "The verdict \u{201c}{}\u{201d} disagrees with the evidence recorded here, which only {} the claim.",
            self::verdict(verdict),
            if balance == Balance::Supported {
                "supports"
            } else {
                "contradicts"
            }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_origins_are_worded_only_when_sources_outnumber_them() {
        assert_eq!(shared_origins(Stance::Supports, 1, 1), None);
        assert_eq!(shared_origins(Stance::Supports, 2, 2), None);
        assert_eq!(
            shared_origins(Stance::Contradicts, 3, 1).as_deref(),
            Some(
                "3 sources contradict this claim, but they trace back to 1 origin: count them as 1 independent origin, not 3."
            )
        );
    }

    #[test]
    fn a_verdict_against_one_sided_evidence_is_a_conflict() {
        assert!(verdict_conflict(Verdict::True, Balance::Contradicted).is_some());
        assert!(verdict_conflict(Verdict::False, Balance::Supported).is_some());
        assert!(verdict_conflict(Verdict::False, Balance::Contested).is_none());
        assert!(verdict_conflict(Verdict::Mixed, Balance::Supported).is_none());
    }
}
