//! Per-channel behaviour of the simulation and the arrival curves.

use jiff::civil::Weekday;
use pacta_contract::Channel;

/// How contacts of a channel are worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Real-time queue (voice, chat): waits, abandons, service level.
    Live,
    /// Outbound dialling: dial attempts, connects, sales.
    Outbound,
    /// Written, asynchronous: a backlog answered within hours.
    Written,
}

/// Behaviour of one channel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChannelParams {
    pub kind: Kind,
    /// Mean caller patience, s (Weibull with [`PATIENCE_SHAPE`]).
    pub patience_s: f64,
    /// Ring / connect time range, s.
    pub ring_s: (f64, f64),
    /// Contacts an agent works at once.
    pub concurrency: u32,
    /// Service-level threshold and target used to staff the queue.
    pub sl_threshold_s: f64,
    pub sl_target: f64,
    /// Callers offered a callback after this virtual wait, s.
    pub callback_after_s: Option<f64>,
    /// Overflow to another provider after this wait, s.
    pub overflow_after_s: Option<f64>,
    /// The ACD times the contact out after this wait, s.
    pub max_wait_s: f64,
    /// Default handle time when the contract gives none, s.
    pub default_aht_s: f64,
    /// Log-scale spread of handle times.
    pub aht_sigma: f64,
}

pub(crate) fn channel_params(ch: Channel) -> Option<ChannelParams> {
    let live = ChannelParams {
        kind: Kind::Live,
        patience_s: 120.0,
        ring_s: (1.0, 4.0),
        concurrency: 1,
        sl_threshold_s: 20.0,
        sl_target: 0.78,
        callback_after_s: Some(120.0),
        overflow_after_s: Some(300.0),
        max_wait_s: 900.0,
        default_aht_s: 300.0,
        aht_sigma: 0.55,
    };
    let written = ChannelParams {
        kind: Kind::Written,
        patience_s: f64::INFINITY,
        ring_s: (0.0, 0.0),
        concurrency: 1,
        sl_threshold_s: 3600.0,
        sl_target: 0.8,
        callback_after_s: None,
        overflow_after_s: None,
        max_wait_s: f64::INFINITY,
        default_aht_s: 420.0,
        aht_sigma: 0.6,
    };
    Some(match ch {
        Channel::VoiceIn => live,
        Channel::Chat => ChannelParams {
            patience_s: 240.0,
            ring_s: (0.5, 2.0),
            concurrency: 2,
            sl_threshold_s: 60.0,
            callback_after_s: None,
            overflow_after_s: None,
            max_wait_s: 1200.0,
            default_aht_s: 540.0,
            aht_sigma: 0.5,
            ..live
        },
        Channel::VoiceOut => ChannelParams {
            kind: Kind::Outbound,
            patience_s: 4.0,
            ring_s: (4.0, 20.0),
            sl_threshold_s: 3.0,
            sl_target: 0.95,
            callback_after_s: None,
            overflow_after_s: None,
            max_wait_s: 60.0,
            default_aht_s: 240.0,
            ..live
        },
        Channel::Email => written,
        Channel::Social => ChannelParams {
            default_aht_s: 240.0,
            ..written
        },
        Channel::Sms => ChannelParams {
            default_aht_s: 150.0,
            ..written
        },
        Channel::BackOffice => ChannelParams {
            default_aht_s: 600.0,
            ..written
        },
        Channel::Surveys => return None,
    })
}

/// Relative volume by weekday: Monday busiest, weekend lower.
pub(crate) fn weekday_factor(wd: Weekday) -> f64 {
    match wd {
        Weekday::Monday => 1.18,
        Weekday::Tuesday => 1.06,
        Weekday::Wednesday => 1.0,
        Weekday::Thursday => 0.97,
        Weekday::Friday => 0.95,
        Weekday::Saturday => 0.62,
        Weekday::Sunday => 0.48,
    }
}

/// Relative volume by local hour: a morning peak, a lunch dip, an early-afternoon peak.
const HOURLY: [f64; 25] = [
    0.20, 0.12, 0.08, 0.07, 0.08, 0.12, 0.25, 0.50, 0.80, 0.98, 1.00, 0.95, 0.80, 0.85, 0.92, 0.88,
    0.80, 0.70, 0.60, 0.52, 0.45, 0.38, 0.30, 0.25, 0.20,
];

/// Intraday factor at a local second of day (linear between hours).
pub(crate) fn intraday_factor(sec_of_day: f64) -> f64 {
    let h = (sec_of_day / 3600.0).clamp(0.0, 23.999);
    let i = h.floor() as usize;
    let f = h - h.floor();
    HOURLY[i] * (1.0 - f) + HOURLY[i + 1] * f
}

/// Volume factor of a holiday on which the service stays open.
pub(crate) const HOLIDAY_FACTOR: f64 = 0.55;

/// Shape of the Weibull patience: above 1, callers rarely give up in the first seconds and
/// are ever less patient as the wait grows (observed in call-center studies, and what keeps
/// abandonment near 3–6 % at an 80/20 service level; exponential patience is shape 1).
pub(crate) const PATIENCE_SHAPE: f64 = 2.0;

/// Share of contacts from an unknown customer.
pub(crate) const UNKNOWN_CUSTOMER: f64 = 0.06;
/// Probability that a handled contact is not resolved and the customer comes back.
pub(crate) const REPEAT_AFTER_HANDLED: f64 = 0.17;
/// Probability that a caller who abandoned or was not served tries again.
pub(crate) const RETRY_AFTER_UNSERVED: f64 = 0.45;
/// Share of repeat contacts that come through another service.
pub(crate) const REPEAT_OTHER_SERVICE: f64 = 0.2;
/// Share of answered contacts that get a survey.
pub(crate) const SURVEY_RATE: f64 = 0.10;
/// Share of offered live contacts that hang up within seconds (misdials).
pub(crate) const MISDIAL: f64 = 0.008;
/// Outbound: share of dial attempts nobody answers.
pub(crate) const OUTBOUND_NO_ANSWER: f64 = 0.55;
/// Share of agents still able to take contacts during an outage.
pub(crate) const OUTAGE_STAFFING: f64 = 0.25;
