//! Evidence: which contacts (or surveys, evaluations, roster entries) a figure counted, and
//! in which bucket each fell.
//!
//! [`interaction_contacts`] walks the interaction rows with the same tests as the engine's
//! scan (the same validity check, period grid, hours, scope, exclusion marks, outcome codes
//! and `wait ≤ threshold` comparisons in milliseconds, and for FCR the engine's own repeat
//! flags), so the number of rows in each [`Bucket`] equals the corresponding input of the
//! figure ([`Bucket::inputs`] says which). [`record_items`] does the same for surveys, QA
//! evaluations and the roster. Tests compare the two on generated data.

use std::collections::HashMap;

use pacta_contract::measure::{AbandonmentVariant, RepeatScope, ServiceLevelVariant};
use pacta_contract::{Contract, Measure, PeriodKind};
use pacta_core::Month;
use pacta_data::model::{InteractionTable, Outcome, RosterEntry, Separation, channel_from_code};
use rust_decimal::Decimal;

use crate::calendar::Hours;
use crate::engine::{build_links, period_of};
use crate::period::{Period, periods};
use crate::record_metrics::evaluation_score;
use crate::{KpiError, KpiInputs, KpiRequest};

/// Where a contact fell in a figure's formula. The codes ([`Bucket::code`]) are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    /// Answered with a wait at or under the service-level threshold (`A≤T`).
    AnsweredWithinThreshold,
    /// Answered after the threshold.
    AnsweredLate,
    /// Answered, wait unknown (no answer time): counts in `A`, not in `A≤T`.
    AnsweredWaitUnknown,
    /// Answered (abandonment rate: the wait does not matter).
    Answered,
    /// Abandoned at or under the short-abandon limit (`Ab≤S`, or `Ab≤N` for `after_seconds`).
    AbandonedShort,
    /// Abandoned over the short limit but at or under the service-level threshold.
    AbandonedWithinThreshold,
    /// Abandoned after every limit of the formula.
    Abandoned,
    /// Abandoned, wait unknown (no end time).
    AbandonedWaitUnknown,
    /// Ended otherwise (transferred out, callback, …): `X`.
    Exit,
    /// Still in progress: not counted.
    InProgress,
    /// Arrived outside hours of operation: not counted (the contract excludes them).
    OutsideHours,
    /// Arrived in an accepted incident window the SLA excludes: not counted.
    ExcludedByIncident,
    /// FCR: handled, and the customer did not come back within the window.
    ResolvedFirstContact,
    /// FCR: handled, and the customer came back within the window.
    Repeated,
    /// FCR: handled, customer unknown: left out of the rate.
    CustomerUnknown,
    /// FCR: not handled (abandoned or ended otherwise): not in the rate.
    NotHandled,
    /// Survey: the top score of the scale.
    TopBox,
    /// Survey: one below the top score.
    SecondBox,
    /// Survey: any other valid score.
    OtherScore,
    /// NPS: 9 or 10.
    Promoter,
    /// NPS: 7 or 8.
    Passive,
    /// NPS: 0 to 6.
    Detractor,
    /// FCR by survey: the customer said resolved.
    SaidResolved,
    /// FCR by survey: the customer said not resolved.
    SaidNotResolved,
    /// Survey with a score out of the scale: not counted.
    InvalidScore,
    /// Survey that does not answer this question: not counted.
    NotAnswered,
    /// QA evaluation scored.
    Scored,
    /// QA evaluation with a critical item failed: scored 0.
    CriticalZeroed,
    /// QA evaluation with no scorable item (Σ max × weight = 0): not counted.
    Unscorable,
    /// Survey or evaluation that links to no interaction the SLA keeps: not counted.
    Unlinked,
    /// Survey or evaluation of an interaction out of the SLA's scope: not counted.
    OutOfScope,
    /// Attrition: on the roster the first day and still after the last.
    Stayed,
    /// Attrition: joined after the first day, still on the roster after the last.
    Joined,
    /// Attrition: on the roster the first day, left in the period (involuntary or unknown).
    Left,
    /// Attrition: on the roster the first day, left voluntarily in the period.
    LeftVoluntarily,
    /// Attrition: joined and left in the period (involuntary or unknown).
    JoinedAndLeft,
    /// Attrition: joined and left voluntarily in the period.
    JoinedAndLeftVoluntarily,
}

impl Bucket {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Bucket::AnsweredWithinThreshold => "answered_within_threshold",
            Bucket::AnsweredLate => "answered_late",
            Bucket::AnsweredWaitUnknown => "answered_wait_unknown",
            Bucket::Answered => "answered",
            Bucket::AbandonedShort => "abandoned_short",
            Bucket::AbandonedWithinThreshold => "abandoned_within_threshold",
            Bucket::Abandoned => "abandoned",
            Bucket::AbandonedWaitUnknown => "abandoned_wait_unknown",
            Bucket::Exit => "exit",
            Bucket::InProgress => "in_progress",
            Bucket::OutsideHours => "outside_hours",
            Bucket::ExcludedByIncident => "excluded_by_incident",
            Bucket::ResolvedFirstContact => "resolved_first_contact",
            Bucket::Repeated => "repeated",
            Bucket::CustomerUnknown => "customer_unknown",
            Bucket::NotHandled => "not_handled",
            Bucket::TopBox => "top_box",
            Bucket::SecondBox => "second_box",
            Bucket::OtherScore => "other_score",
            Bucket::Promoter => "promoter",
            Bucket::Passive => "passive",
            Bucket::Detractor => "detractor",
            Bucket::SaidResolved => "said_resolved",
            Bucket::SaidNotResolved => "said_not_resolved",
            Bucket::InvalidScore => "invalid_score",
            Bucket::NotAnswered => "not_answered",
            Bucket::Scored => "scored",
            Bucket::CriticalZeroed => "critical_zeroed",
            Bucket::Unscorable => "unscorable",
            Bucket::Unlinked => "unlinked",
            Bucket::OutOfScope => "out_of_scope",
            Bucket::Stayed => "stayed",
            Bucket::Joined => "joined",
            Bucket::Left => "left",
            Bucket::LeftVoluntarily => "left_voluntarily",
            Bucket::JoinedAndLeft => "joined_and_left",
            Bucket::JoinedAndLeftVoluntarily => "joined_and_left_voluntarily",
        }
    }

    /// Every bucket, in declaration order.
    pub const ALL: [Bucket; 37] = [
        Bucket::AnsweredWithinThreshold,
        Bucket::AnsweredLate,
        Bucket::AnsweredWaitUnknown,
        Bucket::Answered,
        Bucket::AbandonedShort,
        Bucket::AbandonedWithinThreshold,
        Bucket::Abandoned,
        Bucket::AbandonedWaitUnknown,
        Bucket::Exit,
        Bucket::InProgress,
        Bucket::OutsideHours,
        Bucket::ExcludedByIncident,
        Bucket::ResolvedFirstContact,
        Bucket::Repeated,
        Bucket::CustomerUnknown,
        Bucket::NotHandled,
        Bucket::TopBox,
        Bucket::SecondBox,
        Bucket::OtherScore,
        Bucket::Promoter,
        Bucket::Passive,
        Bucket::Detractor,
        Bucket::SaidResolved,
        Bucket::SaidNotResolved,
        Bucket::InvalidScore,
        Bucket::NotAnswered,
        Bucket::Scored,
        Bucket::CriticalZeroed,
        Bucket::Unscorable,
        Bucket::Unlinked,
        Bucket::OutOfScope,
        Bucket::Stayed,
        Bucket::Joined,
        Bucket::Left,
        Bucket::LeftVoluntarily,
        Bucket::JoinedAndLeft,
        Bucket::JoinedAndLeftVoluntarily,
    ];

    /// A short explanation for the reader of an evidence file.
    pub fn describe(self, lang: pacta_core::Lang) -> &'static str {
        use Bucket::*;
        let (en, es) = match self {
            AnsweredWithinThreshold => (
                "answered within the threshold",
                "atendido dentro del umbral",
            ),
            AnsweredLate => (
                "answered after the threshold",
                "atendido después del umbral",
            ),
            AnsweredWaitUnknown => ("answered, wait unknown", "atendido, espera desconocida"),
            Answered => ("answered", "atendido"),
            AbandonedShort => (
                "abandoned within the short-abandon limit",
                "abandonado dentro del límite de abandono corto",
            ),
            AbandonedWithinThreshold => (
                "abandoned within the threshold",
                "abandonado dentro del umbral",
            ),
            Abandoned => ("abandoned", "abandonado"),
            AbandonedWaitUnknown => ("abandoned, wait unknown", "abandonado, espera desconocida"),
            Exit => ("ended otherwise", "terminado de otra forma"),
            InProgress => ("in progress: not counted", "en curso: no cuenta"),
            OutsideHours => (
                "outside hours of operation: not counted",
                "fuera del horario de operación: no cuenta",
            ),
            ExcludedByIncident => (
                "excluded by an accepted incident",
                "excluido por un incidente aceptado",
            ),
            ResolvedFirstContact => (
                "handled, no repeat within the window",
                "atendido, sin repetición en la ventana",
            ),
            Repeated => (
                "handled, the customer came back within the window",
                "atendido, el cliente volvió dentro de la ventana",
            ),
            CustomerUnknown => (
                "handled, customer unknown: left out",
                "atendido, cliente desconocido: no cuenta",
            ),
            NotHandled => (
                "not handled: not in the rate",
                "no atendido: fuera de la tasa",
            ),
            TopBox => ("top score", "puntuación máxima"),
            SecondBox => ("one below the top score", "una por debajo de la máxima"),
            OtherScore => ("other score", "otra puntuación"),
            Promoter => ("promoter (9–10)", "promotor (9–10)"),
            Passive => ("passive (7–8)", "pasivo (7–8)"),
            Detractor => ("detractor (0–6)", "detractor (0–6)"),
            SaidResolved => ("customer said resolved", "el cliente dijo resuelto"),
            SaidNotResolved => ("customer said not resolved", "el cliente dijo no resuelto"),
            InvalidScore => (
                "score out of the scale: not counted",
                "puntuación fuera de escala: no cuenta",
            ),
            NotAnswered => (
                "question not answered: not counted",
                "pregunta sin respuesta: no cuenta",
            ),
            Scored => ("scored", "puntuada"),
            CriticalZeroed => (
                "a critical item failed: scored 0",
                "falló un punto crítico: puntúa 0",
            ),
            Unscorable => (
                "nothing to score: not counted",
                "nada que puntuar: no cuenta",
            ),
            Unlinked => (
                "links to no interaction the SLA keeps: not counted",
                "no enlaza con ninguna interacción que el SLA conserve: no cuenta",
            ),
            OutOfScope => (
                "interaction out of the SLA's scope: not counted",
                "interacción fuera del alcance del SLA: no cuenta",
            ),
            Stayed => ("on the roster throughout", "en plantilla todo el periodo"),
            Joined => ("joined in the period", "se incorporó en el periodo"),
            Left => ("left in the period", "salió en el periodo"),
            LeftVoluntarily => (
                "left voluntarily in the period",
                "salió voluntariamente en el periodo",
            ),
            JoinedAndLeft => (
                "joined and left in the period",
                "se incorporó y salió en el periodo",
            ),
            JoinedAndLeftVoluntarily => (
                "joined and left voluntarily in the period",
                "se incorporó y salió voluntariamente en el periodo",
            ),
        };
        lang.pick(en, es)
    }

    /// The figure's inputs (keys of `MetricValue::inputs`) a contact of this bucket counts in.
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Bucket::AnsweredWithinThreshold => &["A", "O", "A<=T"],
            Bucket::AnsweredLate | Bucket::AnsweredWaitUnknown | Bucket::Answered => &["A", "O"],
            Bucket::AbandonedShort => &["Ab", "O", "Ab<=T", "Ab<=S", "Ab<=N"],
            Bucket::AbandonedWithinThreshold => &["Ab", "O", "Ab<=T"],
            Bucket::Abandoned | Bucket::AbandonedWaitUnknown => &["Ab", "O"],
            Bucket::Exit => &["X", "O"],
            Bucket::InProgress => &["in_progress"],
            Bucket::OutsideHours => &["outside_hours_excluded"],
            Bucket::ExcludedByIncident
            | Bucket::NotHandled
            | Bucket::NotAnswered
            | Bucket::OutOfScope => &[],
            Bucket::ResolvedFirstContact => &["handled", "known_customer"],
            Bucket::Repeated => &["handled", "known_customer", "repeated"],
            Bucket::CustomerUnknown => &["handled", "unknown_customer_excluded"],
            Bucket::TopBox => &["responses", "top_box", "top_2_box"],
            Bucket::SecondBox => &["responses", "top_2_box"],
            Bucket::OtherScore | Bucket::Passive => &["responses"],
            Bucket::Promoter => &["responses", "promoters"],
            Bucket::Detractor => &["responses", "detractors"],
            Bucket::SaidResolved => &["answers", "resolved"],
            Bucket::SaidNotResolved => &["answers"],
            Bucket::InvalidScore => &["invalid"],
            Bucket::Scored => &["evaluations"],
            Bucket::CriticalZeroed => &["evaluations", "critical_zeroed"],
            Bucket::Unscorable => &["unscorable"],
            Bucket::Unlinked => &["unlinked_excluded"],
            Bucket::Stayed => &["headcount_start", "headcount_end"],
            Bucket::Joined => &["headcount_end"],
            Bucket::Left => &["headcount_start", "separations"],
            Bucket::LeftVoluntarily => &["headcount_start", "separations", "voluntary"],
            Bucket::JoinedAndLeft => &["separations"],
            Bucket::JoinedAndLeftVoluntarily => &["separations", "voluntary"],
        }
    }
}

/// The keys of `MetricValue::inputs` that are not counts of items (thresholds, windows,
/// scales, derived averages): no bucket adds up to them.
pub const NOT_COUNTS: &[&str] = &[
    "T_s",
    "S_s",
    "N_s",
    "window_days",
    "scale",
    "average_headcount",
];

/// One contact a figure looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactEvidence {
    /// Row in the interaction table.
    pub row: usize,
    /// Index of the period (in the request's period grid) it arrived in.
    pub period: usize,
    /// Wait in ms as the formula compared it (answered: to answer; abandoned: to the end).
    pub wait_ms: Option<i64>,
    /// Its bucket.
    pub bucket: Bucket,
    /// FCR: the row of the contact that made it a repeat (the customer's next contact).
    pub repeat_row: Option<usize>,
}

/// The contacts behind an interaction figure, with its period grid.
#[derive(Debug, Clone)]
pub struct InteractionEvidence {
    /// The request's periods.
    pub periods: Vec<Period>,
    /// One entry per contact in the request's scope and month, in row order.
    pub contacts: Vec<ContactEvidence>,
}

/// The limits a measure compares waits with, in seconds: (threshold, short limit).
fn limits(measure: &Measure) -> Option<(Option<u32>, Option<u32>)> {
    match measure {
        Measure::ServiceLevel {
            variant,
            threshold_s,
            short_abandon_s,
            ..
        } => Some((
            Some(*threshold_s),
            (*variant == ServiceLevelVariant::ExcludeShortAbandons).then_some(*short_abandon_s),
        )),
        Measure::AbandonmentRate {
            variant,
            short_abandon_s,
            after_seconds,
        } => Some((
            None,
            match variant {
                AbandonmentVariant::ExcludeShort => Some(*short_abandon_s),
                AbandonmentVariant::AfterSeconds => Some(*after_seconds),
                _ => None,
            },
        )),
        _ => None,
    }
}

/// Whether evidence can list the items behind this measure: service level, abandonment and
/// repeat-contact FCR ([`interaction_contacts`]); CSAT, NPS, FCR by survey, QA score and
/// monthly attrition ([`record_items`]).
pub fn explains(measure: &Measure) -> bool {
    limits(measure).is_some()
        || matches!(
            measure,
            Measure::FcrRepeatContact { .. }
                | Measure::Csat { .. }
                | Measure::Nps
                | Measure::FcrSurvey
                | Measure::QaScore
                | Measure::Attrition { annualised: false }
        )
}

/// Which items a measure's evidence lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceSource {
    /// Interaction rows ([`interaction_contacts`]).
    Interactions,
    /// Survey answers ([`record_items`]).
    Surveys,
    /// QA evaluations ([`record_items`]).
    QaEvaluations,
    /// Roster entries ([`record_items`]).
    Roster,
}

/// Where the evidence of `measure` comes from, when [`explains`] it.
pub fn source(measure: &Measure) -> Option<EvidenceSource> {
    if !explains(measure) {
        return None;
    }
    Some(match measure {
        Measure::Csat { .. } | Measure::Nps | Measure::FcrSurvey => EvidenceSource::Surveys,
        Measure::QaScore => EvidenceSource::QaEvaluations,
        Measure::Attrition { .. } => EvidenceSource::Roster,
        _ => EvidenceSource::Interactions,
    })
}

/// The bucket of a contact with outcome code `oc` and wait `wait_ms`, for a measure with
/// threshold `t_s` and short limit `s_s` (seconds). The comparisons are the scan's.
pub fn classify(oc: u8, wait_ms: Option<i64>, t_s: Option<u32>, s_s: Option<u32>) -> Bucket {
    let ms = |s: u32| i64::from(s) * 1000;
    if oc == Outcome::Answered.code() {
        match (t_s, wait_ms) {
            (None, _) => Bucket::Answered,
            (Some(_), None) => Bucket::AnsweredWaitUnknown,
            (Some(t), Some(w)) if w <= ms(t) => Bucket::AnsweredWithinThreshold,
            (Some(_), Some(_)) => Bucket::AnsweredLate,
        }
    } else if oc == Outcome::Abandoned.code() {
        match wait_ms {
            None => Bucket::AbandonedWaitUnknown,
            Some(w) if s_s.is_some_and(|s| w <= ms(s)) => Bucket::AbandonedShort,
            Some(w) if t_s.is_some_and(|t| w <= ms(t)) => Bucket::AbandonedWithinThreshold,
            Some(_) => Bucket::Abandoned,
        }
    } else if oc == Outcome::InProgress.code() {
        Bucket::InProgress
    } else {
        Bucket::Exit
    }
}

/// The contacts of `month` behind a service-level or abandonment request, each in its bucket.
///
/// `excluded[row]` says whether the row arrived in an exclusion window the request's SLA
/// excludes (empty = none); such rows get [`Bucket::ExcludedByIncident`]. Contacts out of
/// the request's scope or month, and invalid rows the engine skips, are left out.
pub fn interaction_contacts(
    contract: &Contract,
    month: Month,
    table: &InteractionTable,
    request: &KpiRequest,
    excluded: &[bool],
) -> Result<InteractionEvidence, KpiError> {
    let tz = &contract.time_zone;
    let fcr = match &request.measure {
        Measure::FcrRepeatContact {
            window_days,
            repeat_scope,
        } => Some((*repeat_scope, i64::from(*window_days) * 86_400_000)),
        _ => None,
    };
    let (t_s, s_s) = match (limits(&request.measure), fcr) {
        (Some(l), _) => l,
        (None, Some(_)) => (None, None),
        (None, None) => {
            return Ok(InteractionEvidence {
                periods: Vec::new(),
                contacts: Vec::new(),
            });
        }
    };
    // FCR: the engine's own repeat flags, with the excluded rows unable to be repeats.
    let marks: Vec<u8> = excluded.iter().map(|&e| u8::from(e)).collect();
    let repeats = fcr.map(|(scope, window_ms)| {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let bits = crate::repeat::repeat_flags(table, &[(scope, window_ms, 1)], &marks, threads)
            .pop()
            .unwrap_or_default();
        (bits, NextContacts::new(table, scope, &marks))
    });
    let grid = periods(request.period, request.interval_minutes, month, tz)?;
    let (Some(first), Some(last)) = (grid.first(), grid.last()) else {
        return Ok(InteractionEvidence {
            periods: grid,
            contacts: Vec::new(),
        });
    };
    let hours = Hours::covering(&contract.doc.calendar, tz, first.start_ms, last.end_ms, 1)?;
    let outside_included = contract.doc.calendar.include_outside_hours;
    let (nq, ns, nl) = (
        table.queue_dict().len() as u32,
        table.site_dict().len() as u32,
        table.language_dict().len() as u32,
    );
    let mut contacts = Vec::new();
    for i in 0..table.row_count() {
        let ch = table.channel_code(i);
        let q = table.queue(i);
        let s = table.site(i);
        let lg = table.language(i);
        let oc = table.outcome_code(i);
        if ch > 7 || q >= nq || s.is_some_and(|s| s >= ns) || lg.is_some_and(|l| l >= nl) || oc > 7
        {
            continue;
        }
        let arr = table.arrived_at_ms(i);
        let p = grid.partition_point(|p| p.end_ms <= arr);
        if grid.get(p).is_none_or(|g| arr < g.start_ms) {
            continue;
        }
        let dict = |d: &'_ [String], x: Option<u32>| x.and_then(|x| d.get(x as usize).cloned());
        let queue = table.queue_dict().get(q as usize).map(String::as_str);
        let site = dict(table.site_dict(), s);
        let lang = dict(table.language_dict(), lg);
        if !request.scope.covers(
            channel_from_code(ch),
            queue,
            site.as_deref(),
            lang.as_deref(),
        ) {
            continue;
        }
        let wait_ms = if oc == Outcome::Answered.code() {
            table
                .answered_at_ms(i)
                .map(|a| a.saturating_sub(arr).max(0))
        } else if oc == Outcome::Abandoned.code() {
            table.ended_at_ms(i).map(|e| e.saturating_sub(arr))
        } else {
            None
        };
        let mut repeat_row = None;
        let bucket = if excluded.get(i).copied().unwrap_or(false) {
            Bucket::ExcludedByIncident
        } else if !outside_included && !hours.is_open(ch, arr) {
            Bucket::OutsideHours
        } else if let Some((bits, next)) = &repeats {
            if oc == Outcome::InProgress.code() {
                Bucket::InProgress
            } else if oc != Outcome::Answered.code() {
                Bucket::NotHandled
            } else if table.customer(i).is_none() {
                Bucket::CustomerUnknown
            } else if bits.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1) {
                repeat_row = next.after(table, i);
                Bucket::Repeated
            } else {
                Bucket::ResolvedFirstContact
            }
        } else {
            classify(oc, wait_ms, t_s, s_s)
        };
        contacts.push(ContactEvidence {
            row: i,
            period: p,
            wait_ms,
            bucket,
            repeat_row,
        });
    }
    Ok(InteractionEvidence {
        periods: grid,
        contacts,
    })
}

/// For FCR evidence: each customer's repeat candidates (answered or abandoned, known customer,
/// not excluded) in arrival order, to name the contact that made a handled one a repeat.
struct NextContacts {
    scope: RepeatScope,
    by_customer: HashMap<(u64, u32), Vec<(i64, usize)>>,
}

impl NextContacts {
    fn sub(table: &InteractionTable, scope: RepeatScope, i: usize) -> u32 {
        match scope {
            RepeatScope::SameChannel => u32::from(table.channel_code(i)),
            RepeatScope::SameQueue => table.queue(i),
            _ => 0,
        }
    }

    fn new(table: &InteractionTable, scope: RepeatScope, marks: &[u8]) -> Self {
        let (answered, abandoned) = (Outcome::Answered.code(), Outcome::Abandoned.code());
        let mut by_customer: HashMap<(u64, u32), Vec<(i64, usize)>> = HashMap::new();
        for i in 0..table.row_count() {
            let oc = table.outcome_code(i);
            if (oc != answered && oc != abandoned) || marks.get(i).is_some_and(|&m| m & 1 != 0) {
                continue;
            }
            if let Some(c) = table.customer(i) {
                by_customer
                    .entry((c, Self::sub(table, scope, i)))
                    .or_default()
                    .push((table.arrived_at_ms(i), i));
            }
        }
        for v in by_customer.values_mut() {
            v.sort_unstable();
        }
        NextContacts { scope, by_customer }
    }

    /// The customer's first candidate arriving strictly after row `i`.
    fn after(&self, table: &InteractionTable, i: usize) -> Option<usize> {
        let c = table.customer(i)?;
        let list = self
            .by_customer
            .get(&(c, Self::sub(table, self.scope, i)))?;
        let arr = table.arrived_at_ms(i);
        list.get(list.partition_point(|(a, _)| *a <= arr))
            .map(|(_, r)| *r)
    }
}

/// One survey answer, QA evaluation or roster entry a figure looked at.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordEvidence {
    /// Index in the input slice (`surveys`, `qa` or `roster` of [`KpiInputs`]).
    pub index: usize,
    /// Index of the period it falls in.
    pub period: usize,
    /// The interaction row it links to, when it links to one.
    pub linked_row: Option<usize>,
    /// QA: the evaluation's score (0–100) as the formula took it.
    pub score: Option<Decimal>,
    /// Its bucket.
    pub bucket: Bucket,
}

/// The records behind a survey, QA or roster figure, with its period grid.
#[derive(Debug, Clone)]
pub struct RecordsEvidence {
    /// The request's periods.
    pub periods: Vec<Period>,
    /// What the items are.
    pub source: Option<EvidenceSource>,
    /// One entry per record of the request's periods (roster: per period and active entry).
    pub items: Vec<RecordEvidence>,
}

/// The surveys, QA evaluations or roster entries of `month` behind a request, each in its
/// bucket, placed as the engine places them: a scoped request keeps a record only when it
/// links (by source id) to an interaction of its scope that `excluded` does not drop.
pub fn record_items(
    contract: &Contract,
    month: Month,
    data: &KpiInputs<'_>,
    request: &KpiRequest,
    excluded: &[bool],
) -> Result<RecordsEvidence, KpiError> {
    let tz = &contract.time_zone;
    let measure = &request.measure;
    let source = source(measure).filter(|s| *s != EvidenceSource::Interactions);
    let kind = if request.period == PeriodKind::Interval {
        PeriodKind::Day
    } else {
        request.period
    };
    let grid = periods(kind, request.interval_minutes, month, tz)?;
    let mut items = Vec::new();
    let scope = &request.scope;
    match source {
        None | Some(EvidenceSource::Interactions) => {}
        Some(EvidenceSource::Roster) => {
            for (pi, p) in grid.iter().enumerate() {
                let (first, last) = p.local_dates(tz);
                for (index, r) in data.roster.iter().enumerate() {
                    if !scope.covers_site(r.site.as_deref()) {
                        continue;
                    }
                    if let Some(bucket) = roster_bucket(r, first, last) {
                        items.push(RecordEvidence {
                            index,
                            period: pi,
                            linked_row: None,
                            score: None,
                            bucket,
                        });
                    }
                }
            }
        }
        Some(records @ (EvidenceSource::Surveys | EvidenceSource::QaEvaluations)) => {
            let t = data.interactions;
            let links = build_links(data);
            let linked = |id: Option<&str>| -> Option<usize> {
                let r = *links.get(id?)? as usize;
                (!excluded.get(r).copied().unwrap_or(false)).then_some(r)
            };
            let in_scope = |r: usize| -> bool {
                fn dict(d: &[String], x: Option<u32>) -> Option<&String> {
                    x.and_then(|x| d.get(x as usize))
                }
                scope.covers(
                    channel_from_code(t.channel_code(r)),
                    dict(t.queue_dict(), Some(t.queue(r))).map(String::as_str),
                    dict(t.site_dict(), t.site(r)).map(String::as_str),
                    dict(t.language_dict(), t.language(r)).map(String::as_str),
                )
            };
            // Unscoped, every record counts wherever its interaction is (as in the engine).
            let place = |id: Option<&str>| -> Result<Option<usize>, Bucket> {
                let row = linked(id);
                if scope.is_everything() {
                    return Ok(row);
                }
                match row {
                    Some(r) if in_scope(r) => Ok(Some(r)),
                    Some(_) => Err(Bucket::OutOfScope),
                    None => Err(Bucket::Unlinked),
                }
            };
            if records == EvidenceSource::QaEvaluations {
                for (index, e) in data.qa.iter().enumerate() {
                    let Some(pi) = period_of(&grid, e.evaluated_at_ms) else {
                        continue;
                    };
                    let score = evaluation_score(e);
                    let (linked_row, bucket) = match place(e.interaction_id.as_deref()) {
                        Ok(row) => (
                            row,
                            match score {
                                None => Bucket::Unscorable,
                                Some(_)
                                    if e.items.iter().any(|i| i.critical && i.score < i.max) =>
                                {
                                    Bucket::CriticalZeroed
                                }
                                Some(_) => Bucket::Scored,
                            },
                        ),
                        Err(b) => (linked(e.interaction_id.as_deref()), b),
                    };
                    items.push(RecordEvidence {
                        index,
                        period: pi,
                        linked_row,
                        score,
                        bucket,
                    });
                }
            } else {
                for (index, sv) in data.surveys.iter().enumerate() {
                    let Some(pi) = period_of(&grid, sv.answered_at_ms) else {
                        continue;
                    };
                    let (linked_row, bucket) = match place(Some(sv.interaction_id.as_str())) {
                        Ok(row) => (row, survey_bucket(measure, sv)),
                        Err(b) => (linked(Some(sv.interaction_id.as_str())), b),
                    };
                    items.push(RecordEvidence {
                        index,
                        period: pi,
                        linked_row,
                        score: None,
                        bucket,
                    });
                }
            }
        }
    }
    Ok(RecordsEvidence {
        periods: grid,
        source,
        items,
    })
}

/// The bucket of a survey answer under a survey measure (the tests of `survey_value`).
fn survey_bucket(measure: &Measure, s: &pacta_data::model::Survey) -> Bucket {
    match measure {
        Measure::Csat { scale, .. } => match s.csat.map(u32::from) {
            None => Bucket::NotAnswered,
            Some(x) if x < 1 || x > *scale => Bucket::InvalidScore,
            Some(x) if x == *scale => Bucket::TopBox,
            Some(x) if x + 1 == *scale => Bucket::SecondBox,
            Some(_) => Bucket::OtherScore,
        },
        Measure::Nps => match s.nps {
            None => Bucket::NotAnswered,
            Some(x) if x > 10 => Bucket::InvalidScore,
            Some(x) if x >= 9 => Bucket::Promoter,
            Some(x) if x <= 6 => Bucket::Detractor,
            Some(_) => Bucket::Passive,
        },
        _ => match s.resolved {
            None => Bucket::NotAnswered,
            Some(true) => Bucket::SaidResolved,
            Some(false) => Bucket::SaidNotResolved,
        },
    }
}

/// The bucket of a roster entry for attrition over `[first, last]`; `None` when the entry
/// is not on the roster at any time of it.
fn roster_bucket(
    r: &RosterEntry,
    first: jiff::civil::Date,
    last: jiff::civil::Date,
) -> Option<Bucket> {
    let at_start = r.hired_on <= first && r.left_on.is_none_or(|l| l >= first);
    let after_end = r.hired_on <= last && r.left_on.is_none_or(|l| l > last);
    let left = r.left_on.is_some_and(|l| first <= l && l <= last);
    let voluntary = left && r.separation == Some(Separation::Voluntary);
    Some(match (at_start, after_end, left, voluntary) {
        (true, true, _, _) => Bucket::Stayed,
        (false, true, _, _) => Bucket::Joined,
        (true, false, true, false) => Bucket::Left,
        (true, false, true, true) => Bucket::LeftVoluntarily,
        (false, false, true, false) => Bucket::JoinedAndLeft,
        (false, false, true, true) => Bucket::JoinedAndLeftVoluntarily,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_buckets_compare_waits_inclusively() {
        let ans = Outcome::Answered.code();
        let ab = Outcome::Abandoned.code();
        let sl = |oc, w| classify(oc, w, Some(20), Some(5));
        assert_eq!(sl(ans, Some(20_000)), Bucket::AnsweredWithinThreshold);
        assert_eq!(sl(ans, Some(20_001)), Bucket::AnsweredLate);
        assert_eq!(sl(ans, None), Bucket::AnsweredWaitUnknown);
        assert_eq!(sl(ab, Some(5_000)), Bucket::AbandonedShort);
        assert_eq!(sl(ab, Some(5_001)), Bucket::AbandonedWithinThreshold);
        assert_eq!(sl(ab, Some(20_000)), Bucket::AbandonedWithinThreshold);
        assert_eq!(sl(ab, Some(20_001)), Bucket::Abandoned);
        assert_eq!(sl(ab, None), Bucket::AbandonedWaitUnknown);
        assert_eq!(sl(Outcome::InProgress.code(), None), Bucket::InProgress);
        assert!(!Bucket::InProgress.inputs().contains(&"O"));
    }

    #[test]
    fn abandonment_ignores_answer_waits() {
        let ans = Outcome::Answered.code();
        let ab = Outcome::Abandoned.code();
        assert_eq!(classify(ans, Some(99_000), None, Some(5)), Bucket::Answered);
        assert_eq!(
            classify(ab, Some(4_000), None, Some(5)),
            Bucket::AbandonedShort
        );
        assert_eq!(classify(ab, Some(6_000), None, Some(5)), Bucket::Abandoned);
        assert_eq!(classify(ab, Some(1_000), None, None), Bucket::Abandoned);
    }

    #[test]
    fn codes_are_stable_snake_case() {
        for b in [
            Bucket::AnsweredWithinThreshold,
            Bucket::AnsweredLate,
            Bucket::AbandonedShort,
            Bucket::Abandoned,
            Bucket::OutsideHours,
            Bucket::ExcludedByIncident,
        ] {
            assert!(b.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }
}
