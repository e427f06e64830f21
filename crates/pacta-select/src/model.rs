//! The evaluation file: raw TOML structures, then a validated [`Evaluation`].
//!
//! ```toml
//! [evaluation]
//! title = "Cards and retail customer care, 2027"
//! client = "Andes Federal Bank"
//! currency = "USD"
//! scale = 5                       # scores run 1..=scale
//!
//! [[criteria]]                    # omit to use the default set from the seeds
//! id = "experience"
//! name = "Experience and client references"
//! weight = 0.2                    # direct weights; normalised with a warning if Σ ≠ 1
//!
//! [pairwise]                      # or: AHP judgements instead of weights
//! judgements = [ { a = "experience", b = "technology", value = 3 } ]
//!
//! [[requirements]]                # knock-outs
//! id = "iso27001"
//! fact = "iso27001"               # a boolean fact must be true, or
//! at_least = 6                    # a number at least this, or
//! includes = "es"                 # a list containing this
//!
//! [forecast]                      # prices every proposal on the same volumes
//! start = "2027-01"
//! months = 24
//! growth_percent_per_month = 1
//! [[forecast.services]]
//! id = "voice"; channel = "voice_in"; monthly_volume = 120000; aht_s = 320
//!
//! [[candidates]]
//! id = "manila"; name = "…"
//! facts = { iso27001 = true, timezone_overlap_hours = 4, languages = ["en", "es"] }
//! scores = { experience = 4, … }
//! evidence = { experience = "3 references called" }
//! [candidates.pricing]            # the contract's [pricing] section, verbatim
//! ```

use pacta_core::Month;
use std::collections::BTreeMap;

use pacta_contract::{Channel, FieldPath, Location, Pricing, SourceMap};
use pacta_terms::pricing::PriceTerms;
use rust_decimal::Decimal;
use serde::Deserialize;

/// A problem in the evaluation file, located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct InputError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// Path of the value (`candidates[1].scores.technology`), when known.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

// ------------------------------------------------------------------------------------ raw

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    evaluation: RawHeader,
    #[serde(default)]
    criteria: Vec<RawCriterion>,
    pairwise: Option<RawPairwise>,
    #[serde(default)]
    requirements: Vec<RawRequirement>,
    forecast: Option<RawForecast>,
    #[serde(default)]
    candidates: Vec<RawCandidate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    title: String,
    client: String,
    currency: String,
    #[serde(default = "default_scale")]
    scale: u32,
}

fn default_scale() -> u32 {
    5
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: String,
    name: Option<String>,
    weight: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPairwise {
    judgements: Vec<RawJudgement>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJudgement {
    a: String,
    b: String,
    /// How much more important `a` is than `b` on Saaty's 1–9 scale (1/9–1 for less).
    value: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: String,
    description: Option<String>,
    fact: String,
    at_least: Option<f64>,
    includes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForecast {
    start: String,
    months: u32,
    #[serde(default)]
    growth_percent_per_month: f64,
    #[serde(default = "default_occupancy")]
    occupancy_percent: f64,
    #[serde(default = "default_logged_factor")]
    logged_hours_per_productive_hour: f64,
    #[serde(default)]
    new_hires_first_month: u32,
    #[serde(default)]
    new_hires_per_month: u32,
    #[serde(default)]
    pass_through: BTreeMap<String, Decimal>,
    services: Vec<RawService>,
}

fn default_occupancy() -> f64 {
    85.0
}

fn default_logged_factor() -> f64 {
    1.1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    id: String,
    channel: Channel,
    monthly_volume: f64,
    aht_s: f64,
    #[serde(default = "default_talk_share")]
    talk_share: f64,
    #[serde(default)]
    outcome_rate: f64,
    #[serde(default)]
    night_share: f64,
}

fn default_talk_share() -> f64 {
    0.8
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidate {
    id: String,
    name: String,
    #[serde(default)]
    facts: BTreeMap<String, toml::Value>,
    #[serde(default)]
    scores: BTreeMap<String, f64>,
    #[serde(default)]
    evidence: BTreeMap<String, String>,
    pricing: Option<toml::Value>,
}

// ------------------------------------------------------------------------------ validated

/// How weights were given.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum WeightMethod {
    /// Given directly (normalised when they did not sum to 1).
    Direct {
        /// Σ of the weights as written.
        written_sum: f64,
    },
    /// Derived from pairwise judgements by the analytic hierarchy process.
    Ahp(crate::ahp::Ahp),
    /// No weights anywhere: equal weights.
    Equal,
}

/// One criterion with its final weight (weights sum to 1).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Criterion {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Weight in [0, 1].
    pub weight: f64,
}

/// A knock-out requirement.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Requirement {
    /// Id.
    pub id: String,
    /// What it asks.
    pub description: String,
    /// Fact name.
    pub fact: String,
    /// The test.
    pub test: RequirementTest,
}

/// How a requirement is tested against a candidate's fact.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementTest {
    /// The fact is `true`.
    IsTrue,
    /// The fact is a number ≥ this.
    AtLeast(f64),
    /// The fact is a list containing this (or a string equal to it).
    Includes(String),
}

/// One service of the client's forecast.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ForecastService {
    /// Service id (proposals' components may name it).
    pub id: String,
    /// Channel.
    pub channel: Channel,
    /// Contacts in the first month.
    pub monthly_volume: f64,
    /// Average handle time, seconds.
    pub aht_s: f64,
    /// Talk share of handle time (for per-talk-minute pricing).
    pub talk_share: f64,
    /// Outcomes per contact (for per-outcome pricing).
    pub outcome_rate: f64,
    /// Share of hours at night (for night multipliers).
    pub night_share: f64,
}

/// The client's forecast over the term.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Forecast {
    /// First month.
    pub start: Month,
    /// Months in the term.
    pub months: u32,
    /// Volume growth per month, percent.
    pub growth_percent_per_month: f64,
    /// Agent occupancy turning handle time into productive hours, percent.
    pub occupancy_percent: f64,
    /// Logged hours per productive hour.
    pub logged_hours_per_productive_hour: f64,
    /// Hires in the first month (training fees per hire).
    pub new_hires_first_month: u32,
    /// Hires in each later month.
    pub new_hires_per_month: u32,
    /// Expected pass-through claims per month, by pass-through id.
    pub pass_through: BTreeMap<String, Decimal>,
    /// Services.
    pub services: Vec<ForecastService>,
}

/// A candidate provider.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Facts for knock-outs.
    #[serde(skip)]
    pub facts: BTreeMap<String, toml::Value>,
    /// Score per criterion id.
    pub scores: BTreeMap<String, f64>,
    /// Evidence per criterion id.
    pub evidence: BTreeMap<String, String>,
    /// The price proposal (validated by pacta-contract as a contract's pricing would be).
    #[serde(skip)]
    pub proposal: Option<std::sync::Arc<Proposal>>,
}

/// A candidate's price proposal: the contract's pricing model, in the evaluation's currency,
/// starting in the forecast's first month.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The `[pricing]` table, validated.
    pub pricing: Pricing,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Decimal places of the currency.
    pub minor_units: u32,
    /// The first month of the term (setup fees without a month are invoiced then).
    pub first_month: Month,
}

impl Proposal {
    /// What the pricing engine reads of the proposal.
    pub fn terms(&self) -> PriceTerms<'_> {
        PriceTerms {
            currency: &self.currency,
            minor_units: self.minor_units,
            pricing: Some(&self.pricing),
            first_month: Some(self.first_month),
            agreed: &[],
        }
    }
}

/// A validated evaluation.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Title.
    pub title: String,
    /// Client.
    pub client: String,
    /// Currency of the proposals.
    pub currency: String,
    /// Score scale maximum.
    pub scale: u32,
    /// Criteria with normalised weights.
    pub criteria: Vec<Criterion>,
    /// How the weights came about.
    pub weights: WeightMethod,
    /// Knock-outs.
    pub requirements: Vec<Requirement>,
    /// The client's forecast.
    pub forecast: Option<Forecast>,
    /// Candidates.
    pub candidates: Vec<Candidate>,
    /// Things the reader should know (weights normalised, inconsistent judgements…).
    pub warnings: Vec<String>,
}

/// The default criteria, from the seeds' advice on choosing a contact center.
pub const DEFAULT_CRITERIA: [(&str, &str); 10] = [
    ("experience", "Experience and client references"),
    ("reputation", "Reputation and financial stability"),
    ("industry", "Industry experience"),
    (
        "technology",
        "Technology: CRM, AI, integration with the client's systems",
    ),
    (
        "security",
        "Security and compliance (ISO 27001, data protection)",
    ),
    ("geography", "Geography and time-zone overlap"),
    ("language", "Language and cultural alignment"),
    ("scalability", "Capacity to scale up and down"),
    ("quality", "Quality assurance and training"),
    ("commercial", "Payment terms and absence of hidden charges"),
];

struct Ctx<'a> {
    map: &'a SourceMap,
}

impl Ctx<'_> {
    fn err(&self, path: &str, message: String) -> InputError {
        let loc: Location = self.map.locate(&FieldPath::parse(path));
        InputError {
            line: loc.line,
            col: loc.col,
            path: path.to_string(),
            message,
        }
    }
}

/// Parses and validates an evaluation file's text. All problems found are returned.
pub fn parse(text: &str) -> Result<Evaluation, Vec<InputError>> {
    let map = SourceMap::new(text);
    let cx = Ctx { map: &map };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| map.line_col(s.start));
        vec![InputError {
            line,
            col,
            path: String::new(),
            message: e.message().to_string(),
        }]
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let h = &raw.evaluation;
    if h.scale < 2 {
        errors.push(cx.err(
            "evaluation.scale",
            format!(
                "scale {} is too small: scores run 1..=scale, use 5 or 10",
                h.scale
            ),
        ));
    }

    // Criteria: given, or the default set.
    let given = !raw.criteria.is_empty();
    let mut criteria: Vec<Criterion> = if given {
        raw.criteria
            .iter()
            .map(|c| Criterion {
                id: c.id.clone(),
                name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                weight: c.weight.unwrap_or(f64::NAN),
            })
            .collect()
    } else {
        DEFAULT_CRITERIA
            .iter()
            .map(|(id, name)| Criterion {
                id: (*id).into(),
                name: (*name).into(),
                weight: f64::NAN,
            })
            .collect()
    };
    for (i, c) in criteria.iter().enumerate() {
        if criteria[..i].iter().any(|o| o.id == c.id) {
            errors.push(cx.err(
                &format!("criteria[{i}].id"),
                format!("criterion `{}` is listed twice", c.id),
            ));
        }
    }
    let weights = match (
        &raw.pairwise,
        given && raw.criteria.iter().any(|c| c.weight.is_some()),
    ) {
        (Some(_), true) => {
            errors.push(
                cx.err(
                    "pairwise",
                    "give either direct weights on [[criteria]] or [pairwise] judgements, not both"
                        .into(),
                ),
            );
            WeightMethod::Equal
        }
        (Some(p), false) => {
            let ids: Vec<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
            let mut judgements = Vec::new();
            for (i, j) in p.judgements.iter().enumerate() {
                let find = |id: &str, field: &str| {
                    ids.iter().position(|x| *x == id).ok_or_else(|| {
                        cx.err(
                            &format!("pairwise.judgements[{i}].{field}"),
                            format!("unknown criterion `{id}` (criteria: {})", ids.join(", ")),
                        )
                    })
                };
                match (find(&j.a, "a"), find(&j.b, "b")) {
                    (Ok(a), Ok(b))
                        if a != b
                            && j.value.is_finite()
                            && j.value > 0.0
                            && (1.0 / 9.0 - 1e-9..=9.0 + 1e-9).contains(&j.value) =>
                    {
                        judgements.push((a, b, j.value))
                    }
                    (Ok(a), Ok(b)) if a == b => errors.push(cx.err(
                        &format!("pairwise.judgements[{i}]"),
                        "a criterion compared with itself".into(),
                    )),
                    (Ok(_), Ok(_)) => errors.push(cx.err(
                        &format!("pairwise.judgements[{i}].value"),
                        format!("{} is outside Saaty's scale 1/9..9", j.value),
                    )),
                    (a, b) => errors.extend(a.err().into_iter().chain(b.err())),
                }
            }
            match crate::ahp::from_judgements(ids.len(), &judgements) {
                Ok(ahp) => {
                    for (c, w) in criteria.iter_mut().zip(&ahp.weights) {
                        c.weight = *w;
                    }
                    if ahp.consistency_ratio.is_some_and(|cr| cr > 0.1) {
                        warnings.push(format!(
                            "the pairwise judgements are inconsistent: consistency ratio {:.3} > 0.10; revisit them before relying on the weights",
                            ahp.consistency_ratio.unwrap_or_default()
                        ));
                    }
                    WeightMethod::Ahp(ahp)
                }
                Err(missing) => {
                    errors.push(cx.err(
                        "pairwise",
                        format!(
                                "judgements missing for pairs: {}",
                                missing
                                    .iter()
                                    .map(|(a, b)| format!("{}/{}", ids[*a], ids[*b]))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                    ));
                    WeightMethod::Equal
                }
            }
        }
        (None, true) => {
            for (i, c) in raw.criteria.iter().enumerate() {
                match c.weight {
                    None => errors.push(cx.err(
                        &format!("criteria[{i}]"),
                        format!(
                            "criterion `{}` has no weight (give every criterion a weight, or none)",
                            c.id
                        ),
                    )),
                    Some(w) if !w.is_finite() || w < 0.0 => errors.push(cx.err(
                        &format!("criteria[{i}].weight"),
                        format!("weight {w} must be 0 or more"),
                    )),
                    _ => {}
                }
            }
            let sum: f64 = criteria
                .iter()
                .map(|c| c.weight)
                .filter(|w| w.is_finite())
                .sum();
            if sum <= 0.0 {
                errors.push(cx.err("criteria", "the weights sum to 0".into()));
            } else if (sum - 1.0).abs() > 1e-9 {
                warnings.push(format!("the criteria weights sum to {sum}, not 1: they were normalised (each divided by {sum})"));
            }
            for c in &mut criteria {
                c.weight /= sum;
            }
            WeightMethod::Direct { written_sum: sum }
        }
        (None, false) => {
            let n = criteria.len() as f64;
            for c in &mut criteria {
                c.weight = 1.0 / n;
            }
            warnings.push("no weights given: every criterion weighs the same".into());
            WeightMethod::Equal
        }
    };

    let requirements: Vec<Requirement> = raw
        .requirements
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let test = match (r.at_least, &r.includes) {
                (Some(_), Some(_)) => {
                    errors.push(cx.err(
                        &format!("requirements[{i}]"),
                        "give at_least or includes, not both".into(),
                    ));
                    return None;
                }
                (Some(n), None) => RequirementTest::AtLeast(n),
                (None, Some(s)) => RequirementTest::Includes(s.clone()),
                (None, None) => RequirementTest::IsTrue,
            };
            Some(Requirement {
                id: r.id.clone(),
                description: r.description.clone().unwrap_or_else(|| r.id.clone()),
                fact: r.fact.clone(),
                test,
            })
        })
        .collect();

    let forecast = raw.forecast.as_ref().and_then(|f| {
        let Ok(start) = Month::parse(&f.start) else {
            errors.push(cx.err(
                "forecast.start",
                format!("`{}` is not a month; write YYYY-MM", f.start),
            ));
            return None;
        };
        if f.months == 0 || f.months > 120 {
            errors.push(cx.err(
                "forecast.months",
                format!("{} months: the term must be 1 to 120 months", f.months),
            ));
        }
        if !(1.0..=100.0).contains(&f.occupancy_percent) {
            errors.push(cx.err(
                "forecast.occupancy_percent",
                format!("{} is not a percentage in 1..100", f.occupancy_percent),
            ));
        }
        for (i, s) in f.services.iter().enumerate() {
            if !s.monthly_volume.is_finite() || s.monthly_volume < 0.0 {
                errors.push(cx.err(
                    &format!("forecast.services[{i}].monthly_volume"),
                    "volume must be 0 or more".into(),
                ));
            }
            if !s.aht_s.is_finite() || s.aht_s <= 0.0 {
                errors.push(cx.err(
                    &format!("forecast.services[{i}].aht_s"),
                    "AHT must be more than 0 seconds".into(),
                ));
            }
        }
        Some(Forecast {
            start,
            months: f.months,
            growth_percent_per_month: f.growth_percent_per_month,
            occupancy_percent: f.occupancy_percent,
            logged_hours_per_productive_hour: f.logged_hours_per_productive_hour,
            new_hires_first_month: f.new_hires_first_month,
            new_hires_per_month: f.new_hires_per_month,
            pass_through: f.pass_through.clone(),
            services: f
                .services
                .iter()
                .map(|s| ForecastService {
                    id: s.id.clone(),
                    channel: s.channel,
                    monthly_volume: s.monthly_volume,
                    aht_s: s.aht_s,
                    talk_share: s.talk_share,
                    outcome_rate: s.outcome_rate,
                    night_share: s.night_share,
                })
                .collect(),
        })
    });

    if raw.candidates.is_empty() {
        errors.push(cx.err("evaluation", "no [[candidates]] to evaluate".into()));
    }
    let mut candidates = Vec::new();
    for (i, c) in raw.candidates.iter().enumerate() {
        if raw.candidates[..i].iter().any(|o| o.id == c.id) {
            errors.push(cx.err(
                &format!("candidates[{i}].id"),
                format!("candidate `{}` is listed twice", c.id),
            ));
        }
        for cr in &criteria {
            match c.scores.get(&cr.id) {
                None => errors.push(cx.err(
                    &format!("candidates[{i}].scores"),
                    format!("candidate `{}` has no score for criterion `{}` (add `{} = …` on the 1..{} scale)", c.id, cr.id, cr.id, h.scale),
                )),
                Some(s) if !(1.0..=f64::from(h.scale)).contains(s) => errors.push(cx.err(
                    &format!("candidates[{i}].scores.{}", cr.id),
                    format!("score {s} for `{}` is outside 1..{}", cr.id, h.scale),
                )),
                _ => {}
            }
        }
        for k in c.scores.keys() {
            if !criteria.iter().any(|cr| &cr.id == k) {
                errors.push(cx.err(
                    &format!("candidates[{i}].scores.{k}"),
                    format!("`{k}` is not a criterion"),
                ));
            }
        }
        let proposal = match (&c.pricing, &forecast) {
            (Some(p), Some(f)) => {
                let at = format!("candidates[{i}].pricing");
                match proposal(&h.currency, f, p, &map, &at) {
                    Ok(proposal) => Some(std::sync::Arc::new(proposal)),
                    Err(msg) => {
                        errors.push(cx.err(&at, msg));
                        None
                    }
                }
            }
            _ => None,
        };
        candidates.push(Candidate {
            id: c.id.clone(),
            name: c.name.clone(),
            facts: c.facts.clone(),
            scores: c.scores.clone(),
            evidence: c.evidence.clone(),
            proposal,
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.col));
        return Err(errors);
    }
    Ok(Evaluation {
        title: h.title.clone(),
        client: h.client.clone(),
        currency: h.currency.clone(),
        scale: h.scale,
        criteria,
        weights,
        requirements,
        forecast,
        candidates,
        warnings,
    })
}

/// Reads a proposal's `[pricing]` table into the contract's pricing model, validated as it
/// would be in a contract for the evaluation's currency, term and forecast services. Errors
/// are the contract validator's messages, each after the path a contract would give it.
fn proposal(
    currency: &str,
    f: &Forecast,
    pricing: &toml::Value,
    map: &SourceMap,
    at: &str,
) -> Result<Proposal, String> {
    let services: Vec<&str> = f.services.iter().map(|s| s.id.as_str()).collect();
    let setting = pacta_contract::PricingSetting {
        currency,
        effective_date: pacta_contract::Date(f.start.first_day()),
        term_months: f.months,
        services: &services,
    };
    let pricing =
        pacta_contract::parse_pricing(pricing.clone(), &setting, map, &FieldPath::parse(at))
            .map_err(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        format!(
                            "{}: {}",
                            e.path.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                            e.message(pacta_contract::Lang::En)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
    Ok(Proposal {
        pricing,
        currency: currency.to_string(),
        // An unknown currency was refused above.
        minor_units: pacta_contract::money::minor_units(currency).unwrap_or(2),
        first_month: f.start,
    })
}
