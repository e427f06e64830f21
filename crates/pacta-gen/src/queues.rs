//! The services and queues a month is simulated on: what each offers, how it is staffed and
//! who waits in it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use pacta_contract::Channel;

use crate::params::ChannelParams;

/// A contact due to come back (repeat or retry), waiting in a service's pending heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pending {
    pub(crate) at: i64,
    pub(crate) seq: u64,
    pub(crate) customer: u64,
    /// Preferred queue (global index), `u32::MAX` for any queue of the service.
    pub(crate) queue: u32,
}

pub(crate) struct Service {
    pub(crate) channel: Channel,
    pub(crate) p: ChannelParams,
    pub(crate) queues: Vec<usize>,
    pub(crate) queue_cum: Vec<f64>,
    pub(crate) sites: Vec<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) lang_cum: Vec<f64>,
    pub(crate) aht_s: f64,
    pub(crate) volume: u64,
    /// Open part of each interval.
    pub(crate) open: Vec<Option<(i64, i64)>>,
    /// Forecast contacts per interval.
    pub(crate) forecast: Vec<f64>,
    /// Actual contacts per interval.
    pub(crate) counts: Vec<u32>,
    pub(crate) pending: BinaryHeap<Reverse<Pending>>,
}

pub(crate) struct Queue {
    pub(crate) name: String,
    pub(crate) svc: usize,
    pub(crate) share: f64,
    /// Agents wanted on shift per interval.
    pub(crate) staffing: Vec<u32>,
    /// Agents (global indices) in this queue's pool.
    pub(crate) pool: Vec<u32>,
    pub(crate) cursor: usize,
    pub(crate) on_shift: Vec<u32>,
    /// One entry per agent slot: (free at ms, agent).
    pub(crate) servers: BinaryHeap<Reverse<(i64, u32)>>,
    pub(crate) arrivals: Vec<Arrival>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Arrival {
    pub(crate) at: i64,
    pub(crate) customer: u64,
}
