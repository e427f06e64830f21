//! Pilot comparison: candidates' pilot KPIs side by side, with the difference and whether it
//! is larger than noise.
//!
//! Input: CSV with `candidate,metric` and either `successes,trials` (a rate, e.g. calls
//! answered within 20 s of calls offered) or `mean,sd,n` (a mean, e.g. handle time). For each
//! metric, every pair of candidates is compared:
//! * rates: difference of proportions with Newcombe's hybrid score interval (method 10,
//!   built from the two Wilson intervals; Newcombe, *Statistics in Medicine* 1998), 95 %;
//! * means: Welch's interval, t quantile at the Welch–Satterthwaite degrees of freedom
//!   (Cornish–Fisher expansion of the normal quantile, Abramowitz & Stegun 26.7.5).
//!
//! The difference is "larger than noise" when the interval excludes 0.

use pacta_core::Lang;
use serde::Serialize;

/// A problem in the pilot CSV.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("pilot CSV line {line}: {message}")]
pub struct PilotError {
    /// 1-based line.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl pacta_core::Localized for PilotError {
    fn code(&self) -> &'static str {
        "pilot-csv-invalid"
    }

    // The message itself comes from the CSV reader or names columns and values as written.
    fn message(&self, lang: pacta_core::Lang) -> String {
        match lang {
            pacta_core::Lang::En => self.to_string(),
            pacta_core::Lang::Es => {
                format!("CSV del piloto, línea {}: {}", self.line, self.message)
            }
        }
    }
}

/// One candidate's pilot figure for a metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Figure {
    /// successes / trials.
    Rate {
        /// Successes.
        successes: f64,
        /// Trials.
        trials: f64,
    },
    /// A mean with its standard deviation and sample size.
    Mean {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
        /// Sample size.
        n: f64,
    },
}

impl Figure {
    /// The point value (a share for rates).
    pub fn value(&self) -> f64 {
        match self {
            Figure::Rate { successes, trials } => successes / trials,
            Figure::Mean { mean, .. } => *mean,
        }
    }
}

/// One row of the pilot file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PilotRow {
    /// Candidate id.
    pub candidate: String,
    /// Metric name.
    pub metric: String,
    /// The figure.
    pub figure: Figure,
}

/// A pairwise comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Metric.
    pub metric: String,
    /// First candidate.
    pub a: String,
    /// Second candidate.
    pub b: String,
    /// a's value.
    pub value_a: f64,
    /// b's value.
    pub value_b: f64,
    /// a − b.
    pub difference: f64,
    /// 95 % interval of the difference.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The interval excludes 0.
    pub significant: bool,
    /// The figures are shares (successes / trials), read as percentages; otherwise means.
    pub share: bool,
}

impl Comparison {
    /// One of the pair's values as a reader reads it: a share as a percentage with two
    /// decimals ("67.73 %" / "67,73 %"), a mean with one ("331.5" / "331,5").
    pub fn format_value(&self, v: f64, lang: Lang) -> String {
        if self.share {
            format!("{} %", pacta_core::fmt::float(v * 100.0, 2, lang))
        } else {
            pacta_core::fmt::float(v, 1, lang)
        }
    }

    /// A difference (or an end of its interval), signed: shares in percentage points
    /// ("+0.57 pts" / "+0,57 p. p."), means in their own unit ("+13.3").
    pub fn format_difference(&self, d: f64, lang: Lang) -> String {
        let sign = if d < 0.0 { "\u{2212}" } else { "+" };
        if self.share {
            format!(
                "{sign}{} {}",
                pacta_core::fmt::float(d.abs() * 100.0, 2, lang),
                lang.pick("pts", "p. p.")
            )
        } else {
            format!("{sign}{}", pacta_core::fmt::float(d.abs(), 1, lang))
        }
    }

    /// Whether the difference is larger than the pilot's noise, in words.
    pub fn verdict(&self, lang: Lang) -> &'static str {
        if self.significant {
            lang.pick("larger than noise", "mayor que el ruido")
        } else {
            lang.pick("within noise", "dentro del ruido")
        }
    }
}

/// Parses the pilot CSV text.
pub fn parse(text: &str) -> Result<Vec<PilotRow>, PilotError> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| PilotError {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    for req in ["candidate", "metric"] {
        if col(req).is_none() {
            return Err(PilotError {
                line: 1,
                message: format!("missing column `{req}` (found: {})", header.join(", ")),
            });
        }
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| PilotError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |n: &str| col(n).and_then(|i| rec.get(i)).filter(|v| !v.is_empty());
        let num = |n: &str| -> Result<Option<f64>, PilotError> {
            get(n)
                .map(|v| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| PilotError {
                            line,
                            message: format!("column `{n}`: `{v}` is not a number"),
                        })
                })
                .transpose()
        };
        let figure = match (
            num("successes")?,
            num("trials")?,
            num("mean")?,
            num("sd")?,
            num("n")?,
        ) {
            (Some(s), Some(t), None, None, None) if t > 0.0 && (0.0..=t).contains(&s) => {
                Figure::Rate {
                    successes: s,
                    trials: t,
                }
            }
            (Some(_), Some(_), None, None, None) => {
                return Err(PilotError {
                    line,
                    message: "successes must be between 0 and trials, trials above 0".into(),
                });
            }
            (None, None, Some(mean), Some(sd), Some(n)) if sd >= 0.0 && n >= 2.0 => {
                Figure::Mean { mean, sd, n }
            }
            (None, None, Some(_), Some(_), Some(_)) => {
                return Err(PilotError {
                    line,
                    message: "a mean needs sd ≥ 0 and n ≥ 2".into(),
                });
            }
            _ => {
                return Err(PilotError {
                    line,
                    message: "give either successes,trials (a rate) or mean,sd,n (a mean)".into(),
                });
            }
        };
        out.push(PilotRow {
            candidate: get("candidate").unwrap_or_default().to_string(),
            metric: get("metric").unwrap_or_default().to_string(),
            figure,
        });
    }
    Ok(out)
}

const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval of a proportion at 95 %.
pub fn wilson(successes: f64, trials: f64) -> (f64, f64) {
    let p = successes / trials;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * trials)) / (1.0 + z2 / trials);
    let half =
        Z95 * (p * (1.0 - p) / trials + z2 / (4.0 * trials * trials)).sqrt() / (1.0 + z2 / trials);
    (centre - half, centre + half)
}

/// Newcombe's hybrid score interval for p₁ − p₂ at 95 %.
pub fn newcombe(s1: f64, n1: f64, s2: f64, n2: f64) -> (f64, f64) {
    let (p1, p2) = (s1 / n1, s2 / n2);
    let (l1, u1) = wilson(s1, n1);
    let (l2, u2) = wilson(s2, n2);
    let d = p1 - p2;
    (
        d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    )
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (Cornish–Fisher).
pub fn t975(df: f64) -> f64 {
    let z = Z95;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * df)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * df.powi(4))
}

/// Welch's 95 % interval for μ₁ − μ₂.
pub fn welch(m1: f64, sd1: f64, n1: f64, m2: f64, sd2: f64, n2: f64) -> (f64, f64) {
    let (v1, v2) = (sd1 * sd1 / n1, sd2 * sd2 / n2);
    let se = (v1 + v2).sqrt();
    if se == 0.0 {
        return (m1 - m2, m1 - m2);
    }
    let df = (v1 + v2).powi(2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
    let h = t975(df) * se;
    (m1 - m2 - h, m1 - m2 + h)
}

/// Every pair of candidates on every metric they both report.
pub fn compare(rows: &[PilotRow]) -> Result<Vec<Comparison>, PilotError> {
    let mut metrics: Vec<&str> = rows.iter().map(|r| r.metric.as_str()).collect();
    metrics.sort_unstable();
    metrics.dedup();
    let mut out = Vec::new();
    for m in metrics {
        let of: Vec<&PilotRow> = rows.iter().filter(|r| r.metric == m).collect();
        for (i, a) in of.iter().enumerate() {
            for b in &of[i + 1..] {
                let (low, high) = match (&a.figure, &b.figure) {
                    (
                        Figure::Rate {
                            successes: s1,
                            trials: n1,
                        },
                        Figure::Rate {
                            successes: s2,
                            trials: n2,
                        },
                    ) => newcombe(*s1, *n1, *s2, *n2),
                    (
                        Figure::Mean {
                            mean: m1,
                            sd: d1,
                            n: n1,
                        },
                        Figure::Mean {
                            mean: m2,
                            sd: d2,
                            n: n2,
                        },
                    ) => welch(*m1, *d1, *n1, *m2, *d2, *n2),
                    _ => {
                        return Err(PilotError {
                            line: 0,
                            message: format!(
                                "metric `{m}` is a rate for one candidate and a mean for another"
                            ),
                        });
                    }
                };
                let diff = a.figure.value() - b.figure.value();
                out.push(Comparison {
                    metric: m.to_string(),
                    a: a.candidate.clone(),
                    b: b.candidate.clone(),
                    value_a: a.figure.value(),
                    value_b: b.figure.value(),
                    difference: diff,
                    low,
                    high,
                    significant: low > 0.0 || high < 0.0,
                    share: matches!(a.figure, Figure::Rate { .. }),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newcombe_matches_the_published_example() {
        // Newcombe (1998), table II, example (a): 56/70 vs 48/80 → difference 0.2000,
        // method 10 interval 0.0524 to 0.3339.
        let (lo, hi) = newcombe(56.0, 70.0, 48.0, 80.0);
        assert!(
            (lo - 0.0524).abs() < 5e-4 && (hi - 0.3339).abs() < 5e-4,
            "{lo} {hi}"
        );
        // Wilson for 81/263 (Newcombe 1998 single-proportion example): 0.2553 to 0.3662.
        let (l, u) = wilson(81.0, 263.0);
        assert!(
            (l - 0.2553).abs() < 5e-4 && (u - 0.3662).abs() < 5e-4,
            "{l} {u}"
        );
    }

    #[test]
    fn t_quantiles_and_welch() {
        // Student t 0.975 quantiles: df 10 → 2.2281, df 30 → 2.0423, df 120 → 1.9799.
        for (df, q) in [(10.0, 2.2281), (30.0, 2.0423), (120.0, 1.9799)] {
            assert!((t975(df) - q).abs() < 2e-3, "df {df}: {}", t975(df));
        }
        let (lo, hi) = welch(300.0, 60.0, 400.0, 290.0, 80.0, 300.0);
        assert!(
            lo < 0.0 && hi > 0.0,
            "10 s on these samples is noise: {lo} {hi}"
        );
        let (lo, _) = welch(300.0, 60.0, 4000.0, 290.0, 80.0, 3000.0);
        assert!(lo > 0.0, "the same 10 s on ten times the calls is not");
    }
}
