//! The dispute state machine, replayed from its recorded events.
//!
//! A dispute is its [`Opening`] plus the list of [`DisputeEvent`]s both sides recorded; its
//! state ([`Dispute`]) is always the replay of those events along the contract's
//! `[disputes].steps` ([`Ladder`]). Events are only ever appended, so the history is the
//! record both parties can recompute, and a resolution adds an [`Adjustment`] to the month
//! rather than editing anything.

use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use pacta_contract::Contract;
use pacta_contract::model::DisputeKind;
use pacta_core::{Lang, Localized, Month};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A party to the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The client buying the service.
    Client,
    /// The outsourced contact-center provider.
    Provider,
}

impl Side {
    /// The other party.
    pub fn other(self) -> Side {
        match self {
            Side::Client => Side::Provider,
            Side::Provider => Side::Client,
        }
    }

    /// The party's name in running text.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Side::Client => lang.pick("the client", "el cliente"),
            Side::Provider => lang.pick("the provider", "el proveedor"),
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Client => "client",
            Side::Provider => "provider",
        })
    }
}

/// The contract's escalation ladder, with the zone its day counts are cut in.
#[derive(Debug, Clone, PartialEq)]
pub struct Ladder {
    /// The steps, in the order a dispute walks them.
    pub steps: Vec<LadderStep>,
    /// The contract's time zone: a step's days end at local midnight there.
    pub time_zone: TimeZone,
}

/// One rung of the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderStep {
    /// Negotiation, executive escalation, mediation, arbitration or courts.
    pub kind: DisputeKind,
    /// Calendar days the parties have at this step before either may escalate alone;
    /// `None` for a step that ends only with an outcome (arbitration, courts).
    pub days: Option<u32>,
}

impl Ladder {
    /// The ladder of the contract's `[disputes].steps`.
    pub fn from_contract(contract: &Contract) -> Result<Ladder, DisputeError> {
        let steps: Vec<LadderStep> = contract
            .doc
            .disputes
            .as_ref()
            .map(|d| {
                d.steps
                    .iter()
                    .map(|s| LadderStep {
                        kind: s.kind,
                        days: s.days,
                    })
                    .collect()
            })
            .unwrap_or_default();
        if steps.is_empty() {
            return Err(DisputeError::NoLadder);
        }
        Ok(Ladder {
            steps,
            time_zone: contract.time_zone.clone(),
        })
    }
}

/// Why time is taken out of a month's measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReliefKind {
    /// An outage excused under the contract.
    Outage,
    /// Force majeure.
    ForceMajeure,
    /// Caused by the client.
    ClientCaused,
}

/// What a resolution adds to the disputed month; never an edit of recorded data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Adjustment {
    /// Leave `[start, end)` out of the measurement of these queues.
    ExclusionWindow {
        /// First instant excluded.
        start: Timestamp,
        /// First instant measured again.
        end: Timestamp,
        /// Queues concerned; empty means every queue.
        queues: Vec<String>,
        /// Why.
        kind: ReliefKind,
    },
    /// Accept a recorded incident as excused.
    AcceptIncident {
        /// The incident's id.
        incident_id: String,
    },
    /// Replace the amount of one settlement line.
    LineOverride {
        /// The settlement line, e.g. `credit/SL-VOICE`.
        line: String,
        /// The agreed amount.
        #[serde(with = "decimal_text")]
        amount: Decimal,
        /// Why, in the parties' words.
        reason: String,
    },
}

impl ReliefKind {
    /// The kind in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ReliefKind::Outage => lang.pick("outage", "caída"),
            ReliefKind::ForceMajeure => lang.pick("force majeure", "fuerza mayor"),
            ReliefKind::ClientCaused => lang.pick("caused by the client", "causado por el cliente"),
        }
    }
}

impl Adjustment {
    /// The adjustment in words, times local to `zone` (`leave out 2026-10-06 00:00 – 2026-10-16
    /// 00:00 (every queue; outage)`), amounts per language: the one wording the terminal and
    /// the dashboard show.
    pub fn describe(&self, zone: &TimeZone, lang: Lang) -> String {
        let local = |t: &Timestamp| {
            t.to_zoned(zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        };
        match self {
            Adjustment::ExclusionWindow {
                start,
                end,
                queues,
                kind,
            } => {
                let queues = if queues.is_empty() {
                    lang.pick("every queue", "todas las colas").to_string()
                } else {
                    queues.join(", ")
                };
                format!(
                    "{} {} – {} ({queues}; {})",
                    lang.pick("leave out", "excluir"),
                    local(start),
                    local(end),
                    kind.label(lang)
                )
            }
            Adjustment::AcceptIncident { incident_id } => format!(
                "{} {incident_id}",
                lang.pick("accept incident", "aceptar el incidente")
            ),
            Adjustment::LineOverride {
                line,
                amount,
                reason,
            } => format!(
                "{line} = {} ({reason})",
                pacta_core::fmt::number(*amount, lang)
            ),
        }
    }
}

/// What one side does in a dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// A remark, with evidence.
    Comment {
        /// The remark.
        text: String,
        /// Content hashes of the evidence files.
        evidence: Vec<String>,
    },
    /// A settlement offer; replaces any earlier offer at the same step.
    Propose {
        /// The offer in words.
        text: String,
        /// What the month gets if the offer is accepted.
        adjustment: Option<Adjustment>,
    },
    /// Accept the other side's latest offer; resolves the dispute.
    Accept,
    /// Move to the next step (or ask the other side to agree to, before the deadline).
    Escalate,
    /// The opener drops the dispute.
    Withdraw,
    /// The decision of a step without days (arbitration, courts); closes the dispute.
    RecordOutcome {
        /// The decision in words.
        text: String,
        /// Whose position was upheld; `None` for a split decision.
        upheld_for: Option<Side>,
    },
}

impl Action {
    /// The action's stable name, as in its serialized `action` tag.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Comment { .. } => "comment",
            Action::Propose { .. } => "propose",
            Action::Accept => "accept",
            Action::Escalate => "escalate",
            Action::Withdraw => "withdraw",
            Action::RecordOutcome { .. } => "record_outcome",
        }
    }
}

/// Amounts are stored as decimal text: the workspace's default writes a JSON float, which
/// would not give back the agreed cents exactly.
mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One recorded event of a dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeEvent {
    /// When it was recorded.
    pub at: Timestamp,
    /// Who did it.
    pub by: Side,
    /// What was done.
    pub action: Action,
}

/// How a dispute started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// The settlement line disputed, e.g. `credit/SL-VOICE`.
    pub subject: String,
    /// The settled month it belongs to.
    pub month: Month,
    /// Who raised it.
    pub opened_by: Side,
    /// When it was raised; the first step starts then.
    pub at: Timestamp,
    /// The claim in the opener's words.
    pub claim: String,
}

/// Where a dispute stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Still open.
    Open,
    /// A proposal was accepted.
    Resolved {
        /// Index in [`Dispute::events`] of the accepted `Propose`.
        proposal: usize,
    },
    /// The opener withdrew it.
    Withdrawn,
    /// An outcome was recorded at a step without days.
    Decided {
        /// Index in [`Dispute::events`] of the `RecordOutcome`.
        outcome: usize,
    },
}

impl Status {
    /// The status in running text.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Open => lang.pick("open", "abierta"),
            Status::Resolved { .. } => lang.pick("resolved", "resuelta"),
            Status::Withdrawn => lang.pick("withdrawn", "retirada"),
            Status::Decided { .. } => lang.pick("decided", "decidida"),
        }
    }
}

/// A dispute as its events leave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    /// How it started.
    pub opening: Opening,
    /// Every accepted event, in order.
    pub events: Vec<DisputeEvent>,
    /// Index of the current ladder step.
    pub step: usize,
    /// When the current step started (the opening, or the escalation into it).
    pub step_started: Timestamp,
    /// Open or how it closed.
    pub status: Status,
    /// Who asked to escalate the current step before its deadline, waiting for the other.
    pub escalation_requested_by: Option<Side>,
    /// Index in [`Dispute::events`] of the offer at the current step that may be accepted.
    pub pending_proposal: Option<usize>,
}

/// The state change an event makes, worked out before anything is changed.
enum Effect {
    Record,
    Propose,
    Resolve(usize),
    RequestEscalation,
    NextStep,
    Withdraw,
    Decide,
}

/// The latest instant a dispute on a month settled at `settled_at` may be opened
/// (exclusive): the end of the local day `settled + days`, `days` being
/// `disputes.raise_within_days`, else `credits.claim_window_days`. `None`: no limit.
pub fn raise_deadline(contract: &Contract, settled_at: Timestamp) -> Option<Timestamp> {
    let days = contract
        .doc
        .disputes
        .as_ref()
        .and_then(|d| d.raise_within_days)
        .or_else(|| {
            contract
                .doc
                .credits
                .as_ref()
                .and_then(|c| c.claim_window_days)
        })?;
    end_of_local_day(settled_at, days, &contract.time_zone)
}

/// Start of the local day after `from`'s local date + `days`.
///
/// `None` only when the day is beyond jiff's calendar (year 9999); callers treat that as
/// a deadline never reached, which for a ten-thousand-year limit is what it means.
fn end_of_local_day(from: Timestamp, days: u32, tz: &TimeZone) -> Option<Timestamp> {
    let date: Date = from.to_zoned(tz.clone()).date();
    let span = Span::new().try_days(i64::from(days) + 1).ok()?;
    let next = date.checked_add(span).ok()?;
    // start_of_day, not 00:00: where DST starts at midnight that local time does not exist.
    let start = next.to_zoned(tz.clone()).ok()?.start_of_day().ok()?;
    Some(start.timestamp())
}

impl Dispute {
    /// Opens a dispute at the ladder's first step.
    ///
    /// `raise_by` is [`raise_deadline`] for the month (`None`: no limit).
    pub fn open(
        ladder: &Ladder,
        opening: Opening,
        raise_by: Option<Timestamp>,
    ) -> Result<Dispute, DisputeError> {
        if ladder.steps.is_empty() {
            return Err(DisputeError::NoLadder);
        }
        if let Some(raise_by) = raise_by.filter(|by| opening.at >= *by) {
            return Err(DisputeError::OutsideWindow {
                at: opening.at,
                raise_by,
            });
        }
        Ok(Dispute {
            step_started: opening.at,
            opening,
            events: Vec::new(),
            step: 0,
            status: Status::Open,
            escalation_requested_by: None,
            pending_proposal: None,
        })
    }

    /// Rebuilds a dispute from its recorded events. The raising window is not checked
    /// again: it was checked when the dispute was opened.
    pub fn replay(
        ladder: &Ladder,
        opening: Opening,
        events: Vec<DisputeEvent>,
    ) -> Result<Dispute, DisputeError> {
        let mut dispute = Dispute::open(ladder, opening, None)?;
        for event in events {
            dispute.apply(ladder, event)?;
        }
        Ok(dispute)
    }

    /// Records one event. Every rule is checked first: on error the dispute is unchanged.
    pub fn apply(&mut self, ladder: &Ladder, event: DisputeEvent) -> Result<(), DisputeError> {
        let effect = self.check(ladder, &event)?;
        let index = self.events.len();
        let (at, by) = (event.at, event.by);
        self.events.push(event);
        match effect {
            Effect::Record => {}
            Effect::Propose => self.pending_proposal = Some(index),
            Effect::Resolve(proposal) => self.status = Status::Resolved { proposal },
            Effect::RequestEscalation => self.escalation_requested_by = Some(by),
            Effect::NextStep => {
                self.step += 1;
                self.step_started = at;
                self.escalation_requested_by = None;
                self.pending_proposal = None;
            }
            Effect::Withdraw => self.status = Status::Withdrawn,
            Effect::Decide => self.status = Status::Decided { outcome: index },
        }
        Ok(())
    }

    fn check(&self, ladder: &Ladder, event: &DisputeEvent) -> Result<Effect, DisputeError> {
        let action = event.action.name();
        if self.status != Status::Open {
            return Err(DisputeError::Closed {
                action,
                status: self.status,
            });
        }
        let last = self.events.last().map_or(self.opening.at, |e| e.at);
        if event.at < last {
            return Err(DisputeError::TimeGoesBack {
                action,
                at: event.at,
                last,
            });
        }
        let step = *ladder
            .steps
            .get(self.step)
            .ok_or(DisputeError::LadderMismatch {
                step: self.step,
                steps: ladder.steps.len(),
            })?;
        let not_here = || DisputeError::ActionNotAtStep {
            action,
            step: self.step,
            kind: step.kind,
        };
        match &event.action {
            Action::Comment { .. } => Ok(Effect::Record),
            Action::Withdraw => {
                if event.by == self.opening.opened_by {
                    Ok(Effect::Withdraw)
                } else {
                    Err(DisputeError::NotOpener {
                        side: event.by,
                        opener: self.opening.opened_by,
                    })
                }
            }
            Action::RecordOutcome { .. } => match step.days {
                None => Ok(Effect::Decide),
                Some(_) => Err(not_here()),
            },
            Action::Propose { .. } => match step.days {
                Some(_) => Ok(Effect::Propose),
                None => Err(not_here()),
            },
            Action::Accept => {
                if step.days.is_none() {
                    return Err(not_here());
                }
                let proposal = self.pending_proposal.ok_or(DisputeError::NothingToAccept {
                    step: self.step,
                    kind: step.kind,
                })?;
                match self.events.get(proposal) {
                    Some(p) if p.by == event.by => Err(DisputeError::OwnProposal {
                        side: event.by,
                        proposal,
                    }),
                    _ => Ok(Effect::Resolve(proposal)),
                }
            }
            Action::Escalate => {
                if step.days.is_none() {
                    return Err(not_here());
                }
                if self.step + 1 >= ladder.steps.len() {
                    return Err(DisputeError::NoNextStep {
                        step: self.step,
                        kind: step.kind,
                    });
                }
                let deadline = self.deadline(ladder);
                if deadline.is_some_and(|d| event.at >= d) {
                    return Ok(Effect::NextStep);
                }
                match self.escalation_requested_by {
                    None => Ok(Effect::RequestEscalation),
                    Some(side) if side != event.by => Ok(Effect::NextStep),
                    Some(side) => Err(DisputeError::EscalationTooEarly {
                        step: self.step,
                        kind: step.kind,
                        deadline,
                        requested_by: side,
                    }),
                }
            }
        }
    }

    /// When either side may escalate the current step alone: the end of the local day
    /// `step start + days` in the contract's zone. `None` for a step without days, or once
    /// the dispute is closed.
    pub fn deadline(&self, ladder: &Ladder) -> Option<Timestamp> {
        if self.status != Status::Open {
            return None;
        }
        let days = ladder.steps.get(self.step)?.days?;
        end_of_local_day(self.step_started, days, &ladder.time_zone)
    }

    /// The adjustment of the accepted proposal, if the dispute was resolved with one.
    pub fn accepted_adjustment(&self) -> Option<&Adjustment> {
        let Status::Resolved { proposal } = self.status else {
            return None;
        };
        match &self.events.get(proposal)?.action {
            Action::Propose { adjustment, .. } => adjustment.as_ref(),
            _ => None,
        }
    }

    /// The names of the actions ([`Action::name`]) that `by` could record at `now`, in a
    /// fixed order, for front ends to offer.
    pub fn allowed_actions(&self, ladder: &Ladder, by: Side, now: Timestamp) -> Vec<&'static str> {
        let candidates = [
            Action::Comment {
                text: String::new(),
                evidence: Vec::new(),
            },
            Action::Propose {
                text: String::new(),
                adjustment: None,
            },
            Action::Accept,
            Action::Escalate,
            Action::Withdraw,
            Action::RecordOutcome {
                text: String::new(),
                upheld_for: None,
            },
        ];
        candidates
            .into_iter()
            .filter(|action| {
                let event = DisputeEvent {
                    at: now,
                    by,
                    action: action.clone(),
                };
                self.check(ladder, &event).is_ok()
            })
            .map(|action| action.name())
            .collect()
    }
}

/// The name of a ladder step in running text.
pub fn kind_label(kind: DisputeKind, lang: Lang) -> &'static str {
    match kind {
        DisputeKind::Negotiation => lang.pick("negotiation", "negociación"),
        DisputeKind::ExecutiveEscalation => {
            lang.pick("executive escalation", "escalamiento ejecutivo")
        }
        DisputeKind::Mediation => lang.pick("mediation", "mediación"),
        DisputeKind::Arbitration => lang.pick("arbitration", "arbitraje"),
        DisputeKind::Courts => lang.pick("courts", "tribunales"),
    }
}

fn action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "comment" => lang.pick("comment", "comentar"),
        "propose" => lang.pick("propose", "proponer"),
        "accept" => lang.pick("accept", "aceptar"),
        "escalate" => lang.pick("escalate", "escalar"),
        "withdraw" => lang.pick("withdraw", "retirar"),
        "record_outcome" => lang.pick("record an outcome", "registrar una resolución"),
        _ => lang.pick("act", "actuar"),
    }
}

fn instant(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "—".to_owned(), |t| t.to_string())
}

/// Why a dispute could not be opened, or an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisputeError {
    /// The dispute is resolved, withdrawn or decided.
    #[error("cannot {}: the dispute is already {}", action_label(.action, Lang::En), .status.label(Lang::En))]
    Closed {
        /// The refused action's name.
        action: &'static str,
        /// How it closed.
        status: Status,
    },
    /// The event is dated before the dispute's latest event.
    #[error("cannot {} at {at}: the dispute's latest event is at {last}", action_label(.action, Lang::En))]
    TimeGoesBack {
        /// The refused action's name.
        action: &'static str,
        /// The event's time.
        at: Timestamp,
        /// The latest recorded time (event or opening).
        last: Timestamp,
    },
    /// Accept with no proposal pending at this step.
    #[error("nothing to accept: no proposal is pending at step {} ({})", .step + 1, kind_label(*.kind, Lang::En))]
    NothingToAccept {
        /// Index of the current step.
        step: usize,
        /// Its kind.
        kind: DisputeKind,
    },
    /// A side tried to accept its own proposal.
    #[error("{} cannot accept its own proposal (event {})", .side.label(Lang::En), .proposal + 1)]
    OwnProposal {
        /// Who tried.
        side: Side,
        /// Index of the proposal in the events.
        proposal: usize,
    },
    /// Withdraw by the side that did not open the dispute.
    #[error("only {} opened this dispute and can withdraw it, not {}", .opener.label(Lang::En), .side.label(Lang::En))]
    NotOpener {
        /// Who tried.
        side: Side,
        /// Who opened it.
        opener: Side,
    },
    /// The same side asked twice to escalate before the deadline.
    #[error(
        "step {} ({}) cannot be escalated before {} without the other side: {} already asked",
        .step + 1, kind_label(*.kind, Lang::En), instant(*.deadline), .requested_by.label(Lang::En)
    )]
    EscalationTooEarly {
        /// Index of the current step.
        step: usize,
        /// Its kind.
        kind: DisputeKind,
        /// When either side may escalate alone (`None`: never, outside jiff's calendar).
        deadline: Option<Timestamp>,
        /// Who already asked.
        requested_by: Side,
    },
    /// Escalate from the last step.
    #[error("step {} ({}) is the last step of the dispute ladder: there is nothing to escalate to", .step + 1, kind_label(*.kind, Lang::En))]
    NoNextStep {
        /// Index of the current step.
        step: usize,
        /// Its kind.
        kind: DisputeKind,
    },
    /// The action has no place at this kind of step.
    #[error("cannot {} at step {} ({})", action_label(.action, Lang::En), .step + 1, kind_label(*.kind, Lang::En))]
    ActionNotAtStep {
        /// The refused action's name.
        action: &'static str,
        /// Index of the current step.
        step: usize,
        /// Its kind.
        kind: DisputeKind,
    },
    /// The dispute was raised after the contract's window.
    #[error("a dispute raised at {at} is too late: the window closed at {raise_by}")]
    OutsideWindow {
        /// When it was raised.
        at: Timestamp,
        /// The end of the window (exclusive).
        raise_by: Timestamp,
    },
    /// The contract has no `[disputes].steps`.
    #[error("the contract has no dispute ladder ([disputes].steps is empty)")]
    NoLadder,
    /// The ladder has fewer steps than the dispute already walked.
    #[error("the dispute is at step {} but the ladder has {steps} steps", .step + 1)]
    LadderMismatch {
        /// Index of the dispute's step.
        step: usize,
        /// Steps in the ladder given.
        steps: usize,
    },
}

impl Localized for DisputeError {
    fn code(&self) -> &'static str {
        match self {
            DisputeError::Closed { .. } => "dispute-closed",
            DisputeError::TimeGoesBack { .. } => "dispute-time-goes-back",
            DisputeError::NothingToAccept { .. } => "dispute-nothing-to-accept",
            DisputeError::OwnProposal { .. } => "dispute-own-proposal",
            DisputeError::NotOpener { .. } => "dispute-not-opener",
            DisputeError::EscalationTooEarly { .. } => "dispute-escalation-too-early",
            DisputeError::NoNextStep { .. } => "dispute-no-next-step",
            DisputeError::ActionNotAtStep { .. } => "dispute-action-not-at-step",
            DisputeError::OutsideWindow { .. } => "dispute-outside-window",
            DisputeError::NoLadder => "dispute-no-ladder",
            DisputeError::LadderMismatch { .. } => "dispute-ladder-mismatch",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let es = Lang::Es;
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DisputeError::Closed { action, status }, Lang::Es) => format!(
                "no se puede {}: la disputa ya está {}",
                action_label(action, es),
                status.label(es)
            ),
            (DisputeError::TimeGoesBack { action, at, last }, Lang::Es) => format!(
                "no se puede {} en {at}: el último evento de la disputa es de {last}",
                action_label(action, es)
            ),
            (DisputeError::NothingToAccept { step, kind }, Lang::Es) => format!(
                "nada que aceptar: no hay ninguna propuesta pendiente en el paso {} ({})",
                step + 1,
                kind_label(*kind, es)
            ),
            (DisputeError::OwnProposal { side, proposal }, Lang::Es) => format!(
                "{} no puede aceptar su propia propuesta (evento {})",
                side.label(es),
                proposal + 1
            ),
            (DisputeError::NotOpener { side, opener }, Lang::Es) => format!(
                "solo {} abrió esta disputa y puede retirarla, no {}",
                opener.label(es),
                side.label(es)
            ),
            (
                DisputeError::EscalationTooEarly {
                    step,
                    kind,
                    deadline,
                    requested_by,
                },
                Lang::Es,
            ) => {
                format!(
                    "el paso {} ({}) no puede escalarse antes de {} sin la otra parte: {} ya lo pidió",
                    step + 1,
                    kind_label(*kind, es),
                    instant(*deadline),
                    requested_by.label(es)
                )
            }
            (DisputeError::NoNextStep { step, kind }, Lang::Es) => format!(
                "el paso {} ({}) es el último de la escalera de disputas: no hay a dónde escalar",
                step + 1,
                kind_label(*kind, es)
            ),
            (DisputeError::ActionNotAtStep { action, step, kind }, Lang::Es) => format!(
                "no se puede {} en el paso {} ({})",
                action_label(action, es),
                step + 1,
                kind_label(*kind, es)
            ),
            (DisputeError::OutsideWindow { at, raise_by }, Lang::Es) => {
                format!("una disputa planteada en {at} llega tarde: el plazo terminó en {raise_by}")
            }
            (DisputeError::NoLadder, Lang::Es) => {
                "el contrato no tiene escalera de disputas ([disputes].steps está vacío)".into()
            }
            (DisputeError::LadderMismatch { step, steps }, Lang::Es) => format!(
                "la disputa está en el paso {} pero la escalera tiene {steps} pasos",
                step + 1
            ),
        }
    }

    fn hint(&self, lang: Lang) -> Option<String> {
        match self {
            DisputeError::EscalationTooEarly { .. } => Some(
                lang.pick(
                    "wait for the deadline, or for the other side to escalate too",
                    "espere al plazo, o a que la otra parte también escale",
                )
                .into(),
            ),
            DisputeError::NoLadder => Some(
                lang.pick(
                    "add [disputes].steps to the contract, e.g. negotiation then arbitration",
                    "añada [disputes].steps al contrato, p. ej. negociación y luego arbitraje",
                )
                .into(),
            ),
            DisputeError::OwnProposal { .. } => Some(
                lang.pick(
                    "the other side accepts; you can make a new proposal instead",
                    "acepta la otra parte; usted puede hacer una nueva propuesta",
                )
                .into(),
            ),
            _ => None,
        }
    }
}
