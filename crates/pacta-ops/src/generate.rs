//! Generating a month of realistic data for a contract, as the CSV files the importers read.
//!
//! Writes seven files into the directory with the headers documented in `pacta_gen::csv`:
//! [`FILES`]. Interactions and surveys are streamed a day at a time, so ten million rows need
//! little memory; every file is written to a temporary name and renamed when complete, and a
//! failure leaves no half-written file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use pacta_contract::Contract;
use pacta_gen::{GenOptions, StreamError, Tally, csv};

use crate::{OpError, OpResult, files};

/// The files written, in order; `agent_days.csv` holds the kind `agent-days`.
pub const FILES: [&str; 7] = [
    "interactions.csv",
    "surveys.csv",
    "qa.csv",
    "roster.csv",
    "training.csv",
    "agent_days.csv",
    "incidents.csv",
];

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Counts over the interactions (offered, answered within the threshold…).
    pub tally: Tally,
    /// Surveys written.
    pub surveys: usize,
    /// Agents on the roster.
    pub agents: usize,
    /// QA evaluations.
    pub qa: usize,
    /// Agent days.
    pub agent_days: usize,
    /// Incidents.
    pub incidents: usize,
    /// The files written, in [`FILES`] order.
    pub files: Vec<PathBuf>,
}

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> OpError + '_ {
    move |source| OpError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// A CSV file streamed to a temporary name and renamed into place by `finish`.
struct Streamed {
    path: PathBuf,
    tmp: PathBuf,
    w: BufWriter<File>,
}

impl Streamed {
    fn create(path: PathBuf) -> OpResult<Self> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("pacta");
        let tmp = path.with_file_name(format!(".{name}.tmp"));
        let file = File::create(&tmp).map_err(write_error(&path))?;
        Ok(Streamed {
            path,
            tmp,
            w: BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn finish(mut self) -> OpResult<()> {
        self.w.flush().map_err(write_error(&self.path))?;
        std::fs::rename(&self.tmp, &self.path).map_err(write_error(&self.path))
    }

    fn abandon(self) {
        // Best effort: the temporary file is ours and half-written.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Generates the month `options` describe and writes [`FILES`] into `dir` (created when
/// missing). Refuses to overwrite any of them unless `force`. `progress` is told how many
/// interactions each written chunk held.
pub fn generate_to_dir(
    contract: &Contract,
    options: &GenOptions,
    dir: &Path,
    force: bool,
    progress: &mut dyn FnMut(u64),
) -> OpResult<Generated> {
    let paths: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
    for p in &paths {
        files::refuse_overwrite(p, force)?;
    }
    std::fs::create_dir_all(dir).map_err(write_error(dir))?;
    let mut interactions = Streamed::create(paths[0].clone())?;
    let mut surveys = match Streamed::create(paths[1].clone()) {
        Ok(s) => s,
        Err(e) => {
            interactions.abandon();
            return Err(e);
        }
    };
    let headers = csv::write_interactions_header(&mut interactions.w)
        .map_err(write_error(&interactions.path))
        .and_then(|()| {
            csv::write_surveys_header(&mut surveys.w).map_err(write_error(&surveys.path))
        });
    let mut out = Generated {
        files: paths.clone(),
        ..Generated::default()
    };
    let result = headers.and_then(|()| {
        pacta_gen::generate_chunked(contract, options, |chunk| {
            csv::write_interactions_rows(&mut interactions.w, chunk.interactions)
                .map_err(write_error(&interactions.path))?;
            csv::write_surveys_rows(&mut surveys.w, chunk.surveys)
                .map_err(write_error(&surveys.path))?;
            out.tally.add(chunk.interactions);
            out.surveys += chunk.surveys.len();
            progress(chunk.interactions.len() as u64);
            Ok::<(), OpError>(())
        })
        .map_err(|e| match e {
            StreamError::Gen(g) => OpError::Generate(g),
            StreamError::Sink(e) => e,
        })
    });
    let rest = match result {
        Ok(rest) => rest,
        Err(e) => {
            interactions.abandon();
            surveys.abandon();
            return Err(e);
        }
    };
    interactions.finish()?;
    surveys.finish()?;
    let csv_file = |path: &Path, write: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut buf = Vec::new();
        write(&mut buf).map_err(write_error(path))?;
        files::write(path, &buf)
    };
    csv_file(&paths[2], &|b| csv::write_qa_csv(b, &rest.qa))?;
    csv_file(&paths[3], &|b| csv::write_roster_csv(b, &rest.roster))?;
    csv_file(&paths[4], &|b| csv::write_training_csv(b, &rest.training))?;
    csv_file(&paths[5], &|b| {
        csv::write_agent_days_csv(b, &rest.agent_days)
    })?;
    csv_file(&paths[6], &|b| csv::write_incidents_csv(b, &rest.incidents))?;
    out.agents = rest.roster.len();
    out.qa = rest.qa.len();
    out.agent_days = rest.agent_days.len();
    out.incidents = rest.incidents.len();
    Ok(out)
}
