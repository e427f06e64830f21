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
mod options;
mod output;
mod params;
mod people;
mod queues;
mod rng;

pub use calendar::within_hours;
pub use options::{GenError, GenOptions, MAX_ROWS, StreamError};
pub use output::{Chunk, Generated};
use pacta_contract::Contract;
use pacta_data::model::{Interaction, Outcome};

pub use pacta_core::Month;

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
