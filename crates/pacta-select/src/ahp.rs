//! The analytic hierarchy process: weights from pairwise judgements, and their consistency.
//!
//! The reciprocal matrix A (aᵢⱼ = how much more important i is than j, aⱼᵢ = 1/aᵢⱼ, aᵢᵢ = 1)
//! gives the weights as its principal eigenvector (power iteration, normalised to sum 1);
//! λmax = mean of (A·w)ᵢ / wᵢ; consistency index CI = (λmax − n) / (n − 1); consistency
//! ratio CR = CI / RI with Saaty's random indices. CR above 0.10 means the judgements
//! contradict each other too much to trust (Saaty, *The Analytic Hierarchy Process*, 1980).

use serde::Serialize;

/// Saaty's random consistency index for n = 1..=15.
const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// Weights from pairwise judgements and how consistent the judgements are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ahp {
    /// The reciprocal comparison matrix.
    pub matrix: Vec<Vec<f64>>,
    /// Weights, summing to 1, in criteria order.
    pub weights: Vec<f64>,
    /// Principal eigenvalue.
    pub lambda_max: f64,
    /// Consistency index.
    pub consistency_index: f64,
    /// Consistency ratio (`None` for fewer than 3 criteria, always consistent).
    pub consistency_ratio: Option<f64>,
}

/// Builds the matrix from judgements `(i, j, aᵢⱼ)` and computes the weights. Every pair must
/// be judged once (either way round); the missing pairs are returned as the error.
pub fn from_judgements(
    n: usize,
    judgements: &[(usize, usize, f64)],
) -> Result<Ahp, Vec<(usize, usize)>> {
    let mut m = vec![vec![f64::NAN; n]; n];
    for (i, row) in m.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for &(i, j, v) in judgements {
        m[i][j] = v;
        m[j][i] = 1.0 / v;
    }
    let missing: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .filter(|&(i, j)| m[i][j].is_nan())
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(from_matrix(m))
}

/// Weights and consistency of a complete reciprocal matrix.
pub fn from_matrix(matrix: Vec<Vec<f64>>) -> Ahp {
    let n = matrix.len();
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..1000 {
        let mut next: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| matrix[i][j] * w[j]).sum())
            .collect();
        let s: f64 = next.iter().sum();
        for x in &mut next {
            *x /= s;
        }
        let delta: f64 = next.iter().zip(&w).map(|(a, b)| (a - b).abs()).sum();
        w = next;
        if delta < 1e-15 {
            break;
        }
    }
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| matrix[i][j] * w[j]).sum::<f64>() / w[i])
        .sum::<f64>()
        / n as f64;
    let ci = if n > 1 {
        (lambda_max - n as f64) / (n as f64 - 1.0)
    } else {
        0.0
    };
    let ri = RANDOM_INDEX
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or(1.59);
    Ahp {
        matrix,
        weights: w,
        lambda_max,
        consistency_index: ci,
        consistency_ratio: (n >= 3 && ri > 0.0).then(|| ci / ri),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_three_by_three() {
        // A common textbook matrix (e.g. Saaty 1980's style 1–3–5 example): weights about
        // 0.637 / 0.258 / 0.105, λmax 3.0385, CR 0.033 (checked here against an independent
        // power iteration in plain Python).
        let a = from_matrix(vec![
            vec![1.0, 3.0, 5.0],
            vec![1.0 / 3.0, 1.0, 3.0],
            vec![1.0 / 5.0, 1.0 / 3.0, 1.0],
        ]);
        let r = |x: f64| (x * 1e4).round() / 1e4;
        assert_eq!(
            a.weights.iter().map(|w| r(*w)).collect::<Vec<_>>(),
            [0.637, 0.2583, 0.1047]
        );
        assert_eq!(r(a.lambda_max), 3.0385);
        assert_eq!(r(a.consistency_ratio.unwrap_or_default()), 0.0332);
        assert!((a.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn perfectly_consistent_and_circular_judgements() {
        // 2 : 1 : 0.5 exactly → CR 0.
        let a = from_judgements(3, &[(0, 1, 2.0), (0, 2, 4.0), (1, 2, 2.0)])
            .unwrap_or_else(|_| unreachable!());
        assert!(a.consistency_ratio.unwrap_or(1.0).abs() < 1e-9);
        assert!((a.weights[0] - 4.0 / 7.0).abs() < 1e-12);
        // A > B > C > A, strongly: far above 0.1.
        let c = from_judgements(3, &[(0, 1, 9.0), (1, 2, 9.0), (2, 0, 9.0)])
            .unwrap_or_else(|_| unreachable!());
        assert!(c.consistency_ratio.unwrap_or_default() > 1.0);
        assert_eq!(
            from_judgements(3, &[(0, 1, 2.0)]).err(),
            Some(vec![(0, 2), (1, 2)])
        );
    }
}
