//! A deterministic generator of realistic contact-center data for a contract's queues and channels.
//!
//! [`generate`] simulates one month of the contract's services and returns every data set of
//! the canonical model (`pacta-data`): interactions, surveys, QA evaluations, the roster,
//! training records, agent days and incidents. [`generate_chunked`] streams the interactions
//! and surveys a day at a time, so ten million rows need no more memory than one day's worth.
//! The [`csv`] module writes every data set with the documented headers the generic CSV
//! importer reads.
//!
//! How the data is made:
//!
//! - **Volume.** Each service's `forecast_monthly_volume` is scaled so the month holds exactly
//!   `rows` interactions. Arrivals follow a weekday curve (Monday busiest, weekend lower) and
//!   an intraday curve (morning and early-afternoon peaks), only inside the calendar's hours of
//!   operation in the contract's time zone (daylight-saving days have 23 or 25 hours), with
//!   lower volume on holidays that stay open and day-level forecast error.
//! - **Queues.** Every 30-minute interval is staffed to the forecast with Erlang C, with noise
//!   and some understaffed intervals; each queue is then simulated contact by contact (FIFO,
//!   several agents, chat agents working two chats at once). Callers have exponential patience
//!   and abandon when the wait exceeds it; a few hang up within seconds, take a callback,
//!   overflow or time out. Outages cut staffing on the affected queues, so waits spike.
//! - **Handle time** is lognormal around the service's `forecast_aht_s`, split into talk, hold
//!   and wrap. Written channels are answered from a backlog within hours, a few after a day.
//! - **Customers** are pseudonyms (`c` + 16 hex digits), drawn from a Zipf-like population;
//!   about 5 % are unknown. Unresolved contacts and unserved callers come back, so about a
//!   quarter of handled contacts are followed by another contact within seven days.
//! - **People.** Agents are sized to the staffing, with leavers (3–5 %) and hires in initial
//!   training; agent days add up the shifts and the handle time of the simulated contacts.
//!
//! Everything is drawn from a seeded xoshiro256++ generator implemented in this crate, so the
//! same contract and options give byte-identical output. The library does no I/O of its own
//! (the CSV writers write to a caller's [`std::io::Write`]) and never reads the clock.

pub mod csv;

mod calendar;
mod engine;
mod params;
mod people;
mod rng;

pub use calendar::within_hours;
use pacta_contract::Contract;
use pacta_data::model::{
    AgentDay, Incident, Interaction, Outcome, QaEvaluation, RosterEntry, Survey, TrainingRecord,
};

pub use pacta_core::Month;

/// The most interactions one call generates.
pub const MAX_ROWS: u64 = 500_000_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenOptions {
    /// The month, cut in the contract's time zone.
    pub month: Month,
    /// Total interactions to generate (exact, spread over services by forecast volume).
    pub rows: u64,
    /// Seed: the same contract, options and seed give identical data.
    pub seed: u64,
    /// Outages to simulate (returned as incidents; the first one is accepted).
    pub outage_count: u32,
    /// Interactions per chunk handed to a [`generate_chunked`] sink, at most (chunks also
    /// end at each local midnight).
    pub chunk_rows: usize,
}

impl GenOptions {
    /// Options for a month with `rows` interactions, seed 42, one outage, 64 Ki-row chunks.
    pub fn new(month: Month, rows: u64) -> Self {
        GenOptions {
            month,
            rows,
            seed: 42,
            outage_count: 1,
            chunk_rows: 65_536,
        }
    }
}

/// Everything generated for a month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    /// Contacts offered, in arrival order (empty when returned by [`generate_chunked`]).
    pub interactions: Vec<Interaction>,
    /// Post-contact surveys (empty when returned by [`generate_chunked`]).
    pub surveys: Vec<Survey>,
    /// QA evaluations.
    pub qa: Vec<QaEvaluation>,
    /// Every agent who worked in the month, with hires and leavers.
    pub roster: Vec<RosterEntry>,
    /// Initial and ongoing training.
    pub training: Vec<TrainingRecord>,
    /// Scheduled and logged time per agent and local day.
    pub agent_days: Vec<AgentDay>,
    /// Outages.
    pub incidents: Vec<Incident>,
}

/// One slice of the stream: interactions in arrival order and the surveys of some of them.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// Interactions, in arrival order; the next chunk continues after the last one.
    pub interactions: &'a [Interaction],
    /// Surveys answered about contacts in this chunk.
    pub surveys: &'a [Survey],
}

/// Why generation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenError {
    /// The month cannot be cut in the contract's time zone.
    #[error(transparent)]
    Month(#[from] pacta_core::MonthError),
    /// No service has a channel with interactions.
    #[error("the contract has no service with an interaction channel")]
    NoServices,
    /// A service with volume has no open hours in the month.
    #[error("service `{service}` is never open in {month}")]
    NeverOpen {
        /// Service id.
        service: String,
        /// `YYYY-MM`.
        month: String,
    },
    /// More rows than [`MAX_ROWS`].
    #[error("{rows} rows requested; at most {max} can be generated")]
    TooManyRows {
        /// Rows requested.
        rows: u64,
        /// The limit.
        max: u64,
    },
    /// A date or time-zone computation failed.
    #[error("date arithmetic failed: {0}")]
    Time(String),
}

/// Why streaming generation stopped.
#[derive(Debug)]
pub enum StreamError<E> {
    /// The generator failed.
    Gen(GenError),
    /// The sink returned an error.
    Sink(E),
}

impl<E: std::fmt::Display> std::fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Gen(e) => e.fmt(f),
            StreamError::Sink(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Gen(e) => Some(e),
            StreamError::Sink(e) => Some(e),
        }
    }
}

impl<E> From<GenError> for StreamError<E> {
    fn from(e: GenError) -> Self {
        StreamError::Gen(e)
    }
}

/// Generates a month of data for the contract, all in memory.
pub fn generate(contract: &Contract, opts: &GenOptions) -> Result<Generated, GenError> {
    let mut interactions = Vec::with_capacity(usize::try_from(opts.rows).unwrap_or(0).min(1 << 24));
    let mut surveys = Vec::new();
    let mut rest = generate_chunked(contract, opts, |c: Chunk<'_>| {
        interactions.extend_from_slice(c.interactions);
        surveys.extend_from_slice(c.surveys);
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|e| match e {
        StreamError::Gen(g) => g,
        StreamError::Sink(never) => match never {},
    })?;
    rest.interactions = interactions;
    rest.surveys = surveys;
    Ok(rest)
}

/// Generates a month of data, handing interactions and surveys to `sink` chunk by chunk
/// (at most [`GenOptions::chunk_rows`] interactions, never spanning a local midnight), in
/// arrival order. Memory stays bounded by a day of contacts, the contacts due to come back
/// within the month, and the agents. Returns the other data sets, with `interactions` and
/// `surveys` empty.
pub fn generate_chunked<E, F>(
    contract: &Contract,
    opts: &GenOptions,
    mut sink: F,
) -> Result<Generated, StreamError<E>>
where
    F: FnMut(Chunk<'_>) -> Result<(), E>,
{
    let mut opts = opts.clone();
    opts.chunk_rows = opts.chunk_rows.max(1);
    let engine = engine::Engine::new(contract, &opts)?;
    engine.run(&mut sink)
}

/// Running totals over interactions, for a quick plausibility summary.
///
/// Service level is `answered_only` (answered within the threshold over answered) and
/// abandonment is `of_offered`, both over live channels (voice in and chat; written and
/// outbound contacts are counted in `offered_all` only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// All interactions.
    pub offered_all: u64,
    /// Live contacts offered.
    pub offered: u64,
    /// Live contacts answered.
    pub answered: u64,
    /// Of them, answered within the threshold (20 s voice, 60 s chat).
    pub answered_in_threshold: u64,
    /// Live contacts abandoned.
    pub abandoned: u64,
    /// Of them, within 5 s.
    pub short_abandons: u64,
}

impl Tally {
    /// Adds interactions.
    pub fn add(&mut self, rows: &[Interaction]) {
        use pacta_contract::Channel;
        for i in rows {
            self.offered_all += 1;
            let threshold = match i.channel {
                Channel::VoiceIn => 20_000,
                Channel::Chat => 60_000,
                _ => continue,
            };
            self.offered += 1;
            match i.outcome {
                Outcome::Answered => {
                    self.answered += 1;
                    if i.wait_ms().is_some_and(|w| w <= threshold) {
                        self.answered_in_threshold += 1;
                    }
                }
                Outcome::Abandoned => {
                    self.abandoned += 1;
                    if i.wait_ms().is_some_and(|w| w <= 5_000) {
                        self.short_abandons += 1;
                    }
                }
                _ => {}
            }
        }
    }

    /// Service level (answered only), percent; `None` without answers.
    pub fn service_level(&self) -> Option<f64> {
        (self.answered > 0)
            .then(|| 100.0 * self.answered_in_threshold as f64 / self.answered as f64)
    }

    /// Abandonment of offered, percent; `None` without offers.
    pub fn abandonment(&self) -> Option<f64> {
        (self.offered > 0).then(|| 100.0 * self.abandoned as f64 / self.offered as f64)
    }
}
