//! The canonical model of `docs/spec/data-model.md`.
//!
//! Instants are UTC milliseconds since the Unix epoch (`i64`), durations are milliseconds:
//! integers keep threshold comparisons exact (a wait of 20 s is `20_000`, and `≤ T` never
//! suffers from float rounding) and map directly onto Parquet `INT64` columns.

use pacta_contract::Channel;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a contact left the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Reached an agent.
    Answered,
    /// The customer hung up while queued.
    Abandoned,
    /// Left the queue on a timeout.
    Timeout,
    /// Left because no agent was logged in.
    QueueEmpty,
    /// Overflowed to another queue or provider.
    OverflowOut,
    /// Left the queue for a callback.
    Callback,
    /// Transferred out before an agent answered.
    TransferredOut,
    /// Still open at the end of the source data.
    InProgress,
}

impl Outcome {
    /// All outcomes, in code order.
    pub const ALL: [Outcome; 8] = [
        Outcome::Answered,
        Outcome::Abandoned,
        Outcome::Timeout,
        Outcome::QueueEmpty,
        Outcome::OverflowOut,
        Outcome::Callback,
        Outcome::TransferredOut,
        Outcome::InProgress,
    ];

    /// Stable small code for columnar storage.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Inverse of [`Outcome::code`].
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(usize::from(c)).copied()
    }

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Abandoned => "abandoned",
            Outcome::Timeout => "timeout",
            Outcome::QueueEmpty => "queue_empty",
            Outcome::OverflowOut => "overflow_out",
            Outcome::Callback => "callback",
            Outcome::TransferredOut => "transferred_out",
            Outcome::InProgress => "in_progress",
        }
    }

    /// The "other exits" X of `docs/spec/kpi-definitions.md`.
    pub fn is_other_exit(self) -> bool {
        matches!(
            self,
            Outcome::Timeout
                | Outcome::QueueEmpty
                | Outcome::OverflowOut
                | Outcome::Callback
                | Outcome::TransferredOut
        )
    }
}

/// Stable code of a channel for columnar storage.
pub fn channel_code(c: Channel) -> u8 {
    match c {
        Channel::VoiceIn => 0,
        Channel::VoiceOut => 1,
        Channel::Chat => 2,
        Channel::Email => 3,
        Channel::Social => 4,
        Channel::Sms => 5,
        Channel::BackOffice => 6,
        Channel::Surveys => 7,
    }
}

/// Inverse of [`channel_code`].
pub fn channel_from_code(c: u8) -> Option<Channel> {
    Some(match c {
        0 => Channel::VoiceIn,
        1 => Channel::VoiceOut,
        2 => Channel::Chat,
        3 => Channel::Email,
        4 => Channel::Social,
        5 => Channel::Sms,
        6 => Channel::BackOffice,
        7 => Channel::Surveys,
        _ => return None,
    })
}

/// One contact offered to the provider, per queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// The source's own id (call id + queue for Asterisk, ContactId for Amazon Connect).
    pub source_id: String,
    /// Channel.
    pub channel: Channel,
    /// Queue, skill or line of business.
    pub queue: String,
    /// Delivery site.
    pub site: Option<String>,
    /// Language (ISO 639-1).
    pub language: Option<String>,
    /// Keyed-hash pseudonym of the customer identifier; the raw identifier is never stored.
    pub customer_key: Option<String>,
    /// Entered the queue (outbound: dial time), UTC ms.
    pub arrived_at_ms: i64,
    /// Reached an agent, UTC ms.
    pub answered_at_ms: Option<i64>,
    /// Left the queue or finished with the agent, UTC ms.
    pub ended_at_ms: Option<i64>,
    /// How it left the queue.
    pub outcome: Outcome,
    /// Talk time, ms (absent when the source lacks it).
    pub talk_ms: Option<i64>,
    /// Hold time, ms.
    pub hold_ms: Option<i64>,
    /// After-contact work, ms.
    pub wrap_ms: Option<i64>,
    /// Agent identifier.
    pub agent_key: Option<String>,
    /// Disposition (resolved, escalated, sale…).
    pub disposition: Option<String>,
    /// First agent reply for written channels, UTC ms.
    pub first_response_at_ms: Option<i64>,
}

impl Interaction {
    /// Time spent waiting in queue, ms: until answer, or until leaving the queue otherwise.
    pub fn wait_ms(&self) -> Option<i64> {
        match self.outcome {
            Outcome::Answered => self.answered_at_ms.map(|a| a - self.arrived_at_ms),
            _ => self.ended_at_ms.map(|e| e - self.arrived_at_ms),
        }
    }
}

/// Interactions as columns: what the store reads and the KPI engine scans.
///
/// Strings that repeat (queue, site, language, agent, disposition) are dictionary-encoded:
/// `queue[i]` indexes `queue_dict`. `u32::MAX` means absent in optional dictionary columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InteractionTable {
    /// Source ids.
    pub source_id: Vec<String>,
    /// Channel codes ([`channel_code`]).
    pub channel: Vec<u8>,
    /// Queue dictionary indices.
    pub queue: Vec<u32>,
    /// Queue names.
    pub queue_dict: Vec<String>,
    /// Site dictionary indices (`u32::MAX` = none).
    pub site: Vec<u32>,
    /// Site names.
    pub site_dict: Vec<String>,
    /// Language dictionary indices (`u32::MAX` = none).
    pub language: Vec<u32>,
    /// Language codes.
    pub language_dict: Vec<String>,
    /// Customer pseudonyms as 64-bit keys (`0` = unknown customer).
    pub customer: Vec<u64>,
    /// Arrival, UTC ms.
    pub arrived_at_ms: Vec<i64>,
    /// Answer, UTC ms (`i64::MIN` = none).
    pub answered_at_ms: Vec<i64>,
    /// End, UTC ms (`i64::MIN` = none).
    pub ended_at_ms: Vec<i64>,
    /// Outcome codes ([`Outcome::code`]).
    pub outcome: Vec<u8>,
    /// Talk ms (`-1` = none).
    pub talk_ms: Vec<i64>,
    /// Hold ms (`-1` = none).
    pub hold_ms: Vec<i64>,
    /// Wrap ms (`-1` = none).
    pub wrap_ms: Vec<i64>,
    /// Agent dictionary indices (`u32::MAX` = none).
    pub agent: Vec<u32>,
    /// Agent keys.
    pub agent_dict: Vec<String>,
    /// Disposition dictionary indices (`u32::MAX` = none).
    pub disposition: Vec<u32>,
    /// Dispositions.
    pub disposition_dict: Vec<String>,
    /// First response, UTC ms (`i64::MIN` = none).
    pub first_response_at_ms: Vec<i64>,
}

/// Marker for an absent instant in [`InteractionTable`].
pub const NO_INSTANT: i64 = i64::MIN;
/// Marker for an absent duration in [`InteractionTable`].
pub const NO_DURATION: i64 = -1;
/// Marker for an absent dictionary value in [`InteractionTable`].
pub const NO_VALUE: u32 = u32::MAX;

/// A customer survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// The interaction surveyed (`source_id`).
    pub interaction_id: String,
    /// CSAT on the contract's scale (1–5 by default).
    pub csat: Option<u8>,
    /// NPS answer 0–10.
    pub nps: Option<u8>,
    /// Customer says the issue was resolved.
    pub resolved: Option<bool>,
    /// When answered, UTC ms.
    pub answered_at_ms: i64,
}

/// One item of a QA evaluation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaItem {
    /// Item name.
    pub item: String,
    /// Score given.
    pub score: Decimal,
    /// Maximum score.
    pub max: Decimal,
    /// Weight.
    pub weight: Decimal,
    /// A failed critical item zeroes the evaluation.
    pub critical: bool,
}

/// A QA evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaEvaluation {
    /// Evaluation id.
    pub evaluation_id: String,
    /// The interaction evaluated.
    pub interaction_id: Option<String>,
    /// Agent evaluated.
    pub agent_key: String,
    /// When, UTC ms.
    pub evaluated_at_ms: i64,
    /// Items.
    pub items: Vec<QaItem>,
}

/// Why an agent left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separation {
    /// Resigned.
    Voluntary,
    /// Dismissed.
    Involuntary,
}

/// An agent on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// Agent key.
    pub agent_key: String,
    /// Site.
    pub site: Option<String>,
    /// Hire date.
    pub hired_on: jiff::civil::Date,
    /// Last day, if left.
    pub left_on: Option<jiff::civil::Date>,
    /// Why they left.
    pub separation: Option<Separation>,
}

/// Kind of training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingKind {
    /// Initial (new hire) training.
    Initial,
    /// Ongoing training.
    Ongoing,
}

/// A training record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// Agent key.
    pub agent_key: String,
    /// Day.
    pub date: jiff::civil::Date,
    /// Hours.
    pub hours: Decimal,
    /// Kind.
    pub kind: TrainingKind,
}

/// Scheduled and logged time of one agent on one day (local calendar day of the contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDay {
    /// Agent key.
    pub agent_key: String,
    /// Day.
    pub date: jiff::civil::Date,
    /// Minutes scheduled.
    pub scheduled_min: u32,
    /// Minutes logged in.
    pub logged_min: u32,
    /// Minutes in the scheduled state (adherence numerator).
    pub adherent_min: u32,
    /// Minutes handling contacts (talk + hold + wrap).
    pub handling_min: u32,
    /// Minutes available and idle.
    pub available_min: u32,
    /// Of logged minutes, those in the night shift window.
    pub night_min: u32,
}

/// Kind of incident or relief event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// System or network outage.
    Outage,
    /// Force majeure.
    ForceMajeure,
    /// Security breach.
    SecurityBreach,
    /// Caused by the client (late forecast, client system down).
    ClientCaused,
}

/// An incident or relief event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Incident id.
    pub incident_id: String,
    /// Kind.
    pub kind: IncidentKind,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Queues affected (all when empty).
    pub queues: Vec<String>,
    /// Who declared it.
    pub declared_by: String,
    /// Accepted by the other party.
    pub accepted: bool,
}

/// One line of a vendor invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// Item (price component id, fee id, pass-through id, or free text).
    pub item: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit.
    pub unit: String,
    /// Rate.
    pub rate: Decimal,
    /// Amount.
    pub amount: Decimal,
    /// Currency.
    pub currency: String,
}

/// A vendor invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorInvoice {
    /// Invoice number.
    pub invoice_id: String,
    /// Period `YYYY-MM`.
    pub period: String,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
}
