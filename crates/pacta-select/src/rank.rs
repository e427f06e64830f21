//! Weighted scores, knock-outs, ranking with ties, and how far each weight can move before
//! the winner changes.

use serde::Serialize;

use crate::model::{Candidate, Evaluation, Requirement, RequirementTest};

/// A knock-out that failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnockOut {
    /// Requirement id.
    pub requirement: String,
    /// What it asks.
    pub description: String,
    /// What the candidate's fact says (or that it is missing).
    pub found: String,
}

/// One candidate's place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Candidate id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Σ weight × score, on the score scale.
    pub score: f64,
    /// Rank among candidates passing every knock-out (1 = best; equal scores share a rank);
    /// `None` when knocked out.
    pub rank: Option<usize>,
    /// Whether another candidate has the same score.
    pub tied: bool,
    /// Failed knock-outs.
    pub knocked_out: Vec<KnockOut>,
    /// weight × score per criterion, in criteria order.
    pub contributions: Vec<f64>,
}

/// How far a criterion's weight can move before the top candidate changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Criterion id.
    pub criterion: String,
    /// Current weight.
    pub weight: f64,
    /// Smallest increase (in weight, 0..1) that changes the leader, and the new leader.
    pub up: Option<(f64, String)>,
    /// Smallest decrease that changes the leader, and the new leader.
    pub down: Option<(f64, String)>,
}

fn check(req: &Requirement, c: &Candidate) -> Option<KnockOut> {
    let fact = c.facts.get(&req.fact);
    let pass = match (&req.test, fact) {
        (RequirementTest::IsTrue, Some(toml::Value::Boolean(b))) => *b,
        (RequirementTest::AtLeast(n), Some(toml::Value::Integer(v))) => *v as f64 >= *n,
        (RequirementTest::AtLeast(n), Some(toml::Value::Float(v))) => *v >= *n,
        (RequirementTest::Includes(s), Some(toml::Value::Array(a))) => {
            a.iter().any(|x| x.as_str() == Some(s))
        }
        (RequirementTest::Includes(s), Some(toml::Value::String(v))) => v == s,
        _ => false,
    };
    (!pass).then(|| KnockOut {
        requirement: req.id.clone(),
        description: req.description.clone(),
        found: fact.map_or_else(
            || format!("no `{}` fact", req.fact),
            |v| format!("{} = {v}", req.fact),
        ),
    })
}

/// Scores, knock-outs and ranks, best first (knocked-out candidates last, by score).
pub fn rank(e: &Evaluation) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = e
        .candidates
        .iter()
        .map(|c| {
            let contributions: Vec<f64> = e
                .criteria
                .iter()
                .map(|cr| cr.weight * c.scores.get(&cr.id).copied().unwrap_or(0.0))
                .collect();
            Ranked {
                id: c.id.clone(),
                name: c.name.clone(),
                score: contributions.iter().sum(),
                rank: None,
                tied: false,
                knocked_out: e.requirements.iter().filter_map(|r| check(r, c)).collect(),
                contributions,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.knocked_out
            .is_empty()
            .cmp(&b.knocked_out.is_empty())
            .reverse()
            .then(b.score.total_cmp(&a.score))
            .then(a.id.cmp(&b.id))
    });
    const EPS: f64 = 1e-9;
    let mut rank = 0;
    let mut prev: Option<f64> = None;
    let scores: Vec<f64> = out
        .iter()
        .filter(|r| r.knocked_out.is_empty())
        .map(|r| r.score)
        .collect();
    for (i, r) in out
        .iter_mut()
        .filter(|r| r.knocked_out.is_empty())
        .enumerate()
    {
        if prev.is_none_or(|p| (p - r.score).abs() > EPS) {
            rank = i + 1;
        }
        prev = Some(r.score);
        r.rank = Some(rank);
        r.tied = scores
            .iter()
            .filter(|s| (**s - r.score).abs() <= EPS)
            .count()
            > 1;
    }
    out
}

/// For each criterion: moving its weight to x (others rescaled to keep Σ = 1), each
/// candidate's score is linear in x; the leader changes where its line crosses another's.
pub fn sensitivity(e: &Evaluation, ranked: &[Ranked]) -> Vec<Sensitivity> {
    let eligible: Vec<&Candidate> = ranked
        .iter()
        .filter(|r| r.knocked_out.is_empty())
        .filter_map(|r| e.candidates.iter().find(|c| c.id == r.id))
        .collect();
    let Some(leader) = eligible.first() else {
        return Vec::new();
    };
    e.criteria
        .iter()
        .enumerate()
        .map(|(k, cr)| {
            let w = cr.weight;
            // score(x) = x·s_k + (1 − x)/(1 − w) · R, with R = Σ_{j≠k} w_j s_j.
            let line = |c: &Candidate| {
                let s = |id: &str| c.scores.get(id).copied().unwrap_or(0.0);
                let rest: f64 = e
                    .criteria
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, o)| o.weight * s(&o.id))
                    .sum();
                let r = if (1.0 - w).abs() < 1e-12 {
                    0.0
                } else {
                    rest / (1.0 - w)
                };
                (r, s(&cr.id) - r) // a + b·x
            };
            let (la, lb) = line(leader);
            let mut up: Option<(f64, String)> = None;
            let mut down: Option<(f64, String)> = None;
            for c in eligible.iter().skip(1) {
                let (ca, cb) = line(c);
                if (cb - lb).abs() < 1e-15 {
                    continue;
                }
                let x = (la - ca) / (cb - lb);
                // Overtaking needs room past the crossing: at x = 0 or 1 the lines only touch.
                if !(x > 1e-9 && x < 1.0 - 1e-9) {
                    continue;
                }
                let d = x - w;
                // The other candidate leads beyond x only if its slope carries it past.
                if d > 1e-12 && cb > lb && up.as_ref().is_none_or(|u| d < u.0) {
                    up = Some((d, c.id.clone()));
                } else if d < -1e-12 && cb < lb && down.as_ref().is_none_or(|u| -d < u.0) {
                    down = Some((-d, c.id.clone()));
                }
            }
            Sensitivity {
                criterion: cr.id.clone(),
                weight: w,
                up,
                down,
            }
        })
        .collect()
}
