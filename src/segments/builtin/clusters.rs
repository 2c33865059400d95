//! Clusters: k-means++ on standardized numeric columns, k chosen by silhouette when not given.
//!
//! 1. **Rows.** A row is clustered when every chosen column has a value (not null, not NaN/±∞); the others form
//!    the `Unclustered` segment (returned only when not empty).
//! 2. **Standardization.** Each column becomes `z = (x − mean) / std` over the clustered rows, with the
//!    *population* standard deviation (divide by n, like scikit-learn's `StandardScaler`), so every column weighs
//!    the same whatever its unit. A column with a single value over those rows (zero variance) cannot separate
//!    anyone: it is left out of the distance with a warning, and its centroid coordinate is that value. If every
//!    column is constant the call fails (`INVALID_ARGUMENT`, `columns`).
//! 3. **Initialization.** Greedy k-means++ (as scikit-learn): the first center is a uniformly random row, each next
//!    one the best (lowest total squared distance) of `2 + ⌊ln k⌋` candidates drawn with probability proportional
//!    to the squared distance to the nearest chosen center.
//! 4. **Lloyd iterations** on all clustered rows (flat row-major `Vec<f64>`), until no row changes cluster or the
//!    centers move less than `1e-4` in total squared distance (scikit-learn's default tolerance on unit-variance
//!    data), at most `maxIterations` times; a cluster that ends up empty is re-seeded with the row farthest from its
//!    center. A final assignment makes labels and centroids consistent; inertia is the sum of squared distances in
//!    standardized units.
//! 5. **Choosing k.** Without `k`, every k in `2..=maxK` (default 8, capped at rows − 1) is run and the one with the
//!    highest mean silhouette wins (ties → smaller k). The silhouette (Euclidean, standardized units) is computed
//!    on one seeded random sample of at most `sampleSize` clustered rows, the same sample for every k, as
//!    scikit-learn's `silhouette_score(…, sample_size=…)` does; a point alone in its cluster within the sample
//!    scores 0. With `k` given, its silhouette is still reported.
//! 6. **Order.** Clusters are numbered by size, largest first (ties: smaller standardized centroid, coordinate by
//!    coordinate), named `Cluster 1` … `Cluster k`.
//!
//! **Randomness** comes only from the explicit seed ([`Rng`], xoshiro256** seeded through SplitMix64): the same
//! data, options and seed give the same clusters on every platform. The k-means run for a given k uses its own
//! stream (`Rng::new(seed, k)`), so the clusters for k = 4 are the same whether k was given or chosen; the
//! silhouette sample uses stream 0. Without a seed the core uses [`DEFAULT_SEED`]; the wasm facade supplies a
//! random one instead, and the seed used is returned.

use serde::{Deserialize, Serialize};

use super::values::{read_numeric, NumericColumn};
use super::BuiltinSegment;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::messages::{nested, Message};
use crate::segments::Bitmap;

/// The seed used when the options give none.
pub const DEFAULT_SEED: u64 = 0x5EED;
/// Largest k accepted.
pub const MAX_K: usize = 20;
/// Largest silhouette sample (the silhouette costs sample² distances per k).
pub const MAX_SAMPLE_SIZE: usize = 20_000;
/// Convergence tolerance on the total squared center shift (standardized units).
const TOLERANCE: f64 = 1e-4;

/// Options of [`clusters`]. Deserializes from camelCase JSON; every field but `columns` has a usable default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ClusterOptions {
    /// Numeric (or date/timestamp) columns to cluster on; at least one, no repeats.
    pub columns: Vec<String>,
    /// Number of clusters, `2..=20`. Default: chosen by silhouette among `2..=maxK`.
    pub k: Option<usize>,
    /// Largest k tried when `k` is not given, `2..=20`. Default 8.
    pub max_k: usize,
    /// PRNG seed. Default [`DEFAULT_SEED`].
    pub seed: Option<u64>,
    /// Lloyd iterations at most, `1..=10000`. Default 300.
    pub max_iterations: usize,
    /// Rows sampled for the silhouette, `10..=20000`. Default 2000.
    pub sample_size: usize,
    /// The language of errors (`'fi'`, …): read by the wasm facade before parsing; unused here.
    pub lang: Option<String>,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            columns: Vec::new(),
            k: None,
            max_k: 8,
            seed: None,
            max_iterations: 300,
            sample_size: 2000,
            lang: None,
        }
    }
}

/// One cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterInfo {
    /// `Cluster 1` … (largest first).
    pub name: String,
    /// Rows in the cluster.
    pub size: usize,
    /// Mean of each column over the members, in the column's own units (dates: days since 1970-01-01), in
    /// [`ClusterResult::columns`] order.
    pub centroid: Vec<f64>,
}

/// Mean silhouette of one candidate k.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SilhouetteScore {
    /// The k.
    pub k: usize,
    /// Mean silhouette on the sample, in `[-1, 1]`; `None` when the data has fewer than k distinct points or the
    /// sample holds a single cluster.
    pub score: Option<f64>,
}

/// What [`clusters`] returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterResult {
    /// The number of clusters.
    pub k: usize,
    /// The seed used.
    pub seed: u64,
    /// The columns, in centroid order.
    pub columns: Vec<String>,
    /// Per cluster, largest first.
    pub clusters: Vec<ClusterInfo>,
    /// Mean silhouette per k tried (just the given k when `k` was given).
    pub silhouette: Vec<SilhouetteScore>,
    /// Sum of squared distances of the rows to their centroid, in standardized units.
    pub inertia: f64,
    /// Lloyd iterations run for the chosen k.
    pub iterations: usize,
    /// Whether they converged before `maxIterations`.
    pub converged: bool,
    /// Rows clustered.
    pub clustered: usize,
    /// Rows left out for a missing value.
    pub unclustered: usize,
    /// Rows in the silhouette sample.
    pub sample_size: usize,
    /// Column means over the clustered rows (standardization).
    pub means: Vec<f64>,
    /// Column population standard deviations (0 for a constant column, which was left out).
    pub std_devs: Vec<f64>,
    /// Things the caller should know (a constant column left out, …).
    pub warnings: Vec<String>,
    /// Per row: `i` for `Cluster i`, 0 when unclustered.
    pub labels: Vec<u8>,
    /// `Cluster 1` … `Cluster k`, then `Unclustered` when not empty.
    pub segments: Vec<BuiltinSegment>,
}

/// Small, fast, documented PRNG: xoshiro256** (Blackman & Vigna, 2018), its 256-bit state filled by SplitMix64.
/// Not cryptographic; only used to make k-means++ and the silhouette sample reproducible.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The generator for `seed` and an independent `stream` number.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut sm = seed;
        let mixed = splitmix64(&mut sm) ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut sm = mixed;
        let mut s = [0u64; 4];
        for word in &mut s {
            *word = splitmix64(&mut sm);
        }
        if s == [0; 4] {
            s[0] = 1; // the all-zero state is the one fixed point of xoshiro
        }
        Rng { s }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `0..n` (`n > 0`), unbiased (Lemire's multiply-and-reject).
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

/// Standardized points, row-major.
struct Points<'a> {
    data: &'a [f64],
    d: usize,
}

impl Points<'_> {
    fn len(&self) -> usize {
        self.data.len() / self.d
    }
    fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.d..(i + 1) * self.d]
    }
}

#[inline]
fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Outcome of one k-means run.
#[derive(Debug, Clone)]
struct KMeansRun {
    centroids: Vec<f64>,
    labels: Vec<u32>,
    inertia: f64,
    iterations: usize,
    converged: bool,
}

/// Greedy k-means++ centers, or `None` when the points have fewer than k distinct values.
fn kmeans_plus_plus(points: &Points, k: usize, rng: &mut Rng) -> Option<Vec<f64>> {
    let (n, d) = (points.len(), points.d);
    let mut centers = Vec::with_capacity(k * d);
    let first = rng.below(n as u64) as usize;
    centers.extend_from_slice(points.row(first));
    let mut closest: Vec<f64> = (0..n).map(|i| sq_dist(points.row(i), points.row(first))).collect();
    let mut potential: f64 = closest.iter().sum();
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut candidate_dist = vec![0.0; n];
    let mut best_dist = vec![0.0; n];
    for _ in 1..k {
        if potential <= 0.0 || !potential.is_finite() {
            return None;
        }
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..trials {
            let target = rng.next_f64() * potential;
            let mut cumulative = 0.0;
            let mut pick = None;
            for (i, &c) in closest.iter().enumerate() {
                if c > 0.0 {
                    cumulative += c;
                    pick = Some(i);
                    if cumulative > target {
                        break;
                    }
                }
            }
            let candidate = pick?;
            let center = points.row(candidate);
            let mut candidate_potential = 0.0;
            for (i, slot) in candidate_dist.iter_mut().enumerate() {
                *slot = sq_dist(points.row(i), center).min(closest[i]);
                candidate_potential += *slot;
            }
            if best.is_none_or(|(p, _)| candidate_potential < p) {
                best = Some((candidate_potential, candidate));
                std::mem::swap(&mut best_dist, &mut candidate_dist);
            }
        }
        let (best_potential, best_index) = best?;
        centers.extend_from_slice(points.row(best_index));
        std::mem::swap(&mut closest, &mut best_dist);
        potential = best_potential;
    }
    Some(centers)
}

/// Assign every point to its nearest centroid; returns (changed labels, inertia) and fills `dist` with each point's
/// squared distance.
fn assign(points: &Points, centroids: &[f64], labels: &mut [u32], dist: &mut [f64]) -> (usize, f64) {
    let d = points.d;
    let mut changed = 0;
    let mut inertia = 0.0;
    for (i, point) in points.data.chunks_exact(d).enumerate() {
        let mut best = (f64::INFINITY, 0u32);
        for (j, centroid) in centroids.chunks_exact(d).enumerate() {
            let distance = sq_dist(point, centroid);
            if distance < best.0 {
                best = (distance, j as u32);
            }
        }
        if labels[i] != best.1 {
            labels[i] = best.1;
            changed += 1;
        }
        dist[i] = best.0;
        inertia += best.0;
    }
    (changed, inertia)
}

fn kmeans(points: &Points, k: usize, rng: &mut Rng, max_iterations: usize) -> Result<Option<KMeansRun>> {
    let (n, d) = (points.len(), points.d);
    let Some(mut centroids) = kmeans_plus_plus(points, k, rng) else { return Ok(None) };
    let mut labels = vec![u32::MAX; n];
    let mut dist = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    while iterations < max_iterations {
        crate::cancel::checkpoint(crate::cancel::Phase::Clusters, iterations as u64, max_iterations as u64)?;
        iterations += 1;
        let (changed, _) = assign(points, &centroids, &mut labels, &mut dist);
        if changed == 0 {
            converged = true;
            break;
        }
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for (i, point) in points.data.chunks_exact(d).enumerate() {
            let j = labels[i] as usize;
            counts[j] += 1;
            sums[j * d..(j + 1) * d].iter_mut().zip(point).for_each(|(s, x)| *s += x);
        }
        // Re-seed empty clusters with the points farthest from their centers (each point used once).
        for empty in 0..k {
            if counts[empty] > 0 {
                continue;
            }
            let far = (0..n)
                .filter(|&i| counts[labels[i] as usize] > 1)
                .max_by(|&a, &b| dist[a].total_cmp(&dist[b]).then(b.cmp(&a)));
            let Some(far) = far else { break };
            let old = labels[far] as usize;
            let point = points.row(far);
            sums[old * d..(old + 1) * d].iter_mut().zip(point).for_each(|(s, x)| *s -= x);
            counts[old] -= 1;
            sums[empty * d..(empty + 1) * d].copy_from_slice(point);
            counts[empty] = 1;
            labels[far] = empty as u32;
            dist[far] = 0.0;
        }
        let mut shift = 0.0;
        for j in 0..k {
            if counts[j] == 0 {
                continue;
            }
            for c in 0..d {
                let updated = sums[j * d + c] / counts[j] as f64;
                shift += (updated - centroids[j * d + c]).powi(2);
                centroids[j * d + c] = updated;
            }
        }
        if shift <= TOLERANCE {
            converged = true;
            break;
        }
    }
    let (_, inertia) = assign(points, &centroids, &mut labels, &mut dist);
    Ok(Some(KMeansRun { centroids, labels, inertia, iterations, converged }))
}

/// Mean silhouette of the `sample` rows under `labels` (Euclidean distances between sample rows only), or `None`
/// when the sample holds fewer than 2 clusters or no two points.
fn silhouette(points: &Points, labels: &[u32], sample: &[usize], k: usize) -> Option<f64> {
    let mut counts = vec![0usize; k];
    for &i in sample {
        counts[labels[i] as usize] += 1;
    }
    let present = counts.iter().filter(|&&c| c > 0).count();
    if present < 2 || present >= sample.len() {
        return None;
    }
    let mut sums = vec![0.0; k];
    let mut total = 0.0;
    for &i in sample {
        sums.iter_mut().for_each(|s| *s = 0.0);
        let xi = points.row(i);
        for &j in sample {
            sums[labels[j] as usize] += sq_dist(xi, points.row(j)).sqrt();
        }
        let own = labels[i] as usize;
        if counts[own] <= 1 {
            continue; // s(i) = 0
        }
        let a = sums[own] / (counts[own] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != own && counts[c] > 0)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let denominator = a.max(b);
        if denominator > 0.0 {
            total += (b - a) / denominator;
        }
    }
    Some(total / sample.len() as f64)
}

/// Cluster the rows on standardized `columns` with k-means++; see the [module docs](self).
pub fn clusters(dataset: &Dataset, options: &ClusterOptions) -> Result<ClusterResult> {
    validate(options)?;
    let seed = options.seed.unwrap_or(DEFAULT_SEED);
    let columns: Vec<_> = options
        .columns
        .iter()
        .map(|name| read_numeric(dataset, name, "columns", "purpose_cluster"))
        .collect::<Result<_>>()?;
    let n = dataset.num_rows();
    let rows: Vec<usize> = (0..n).filter(|&row| columns.iter().all(|c| c.values[row].is_some())).collect();
    let m = rows.len();
    if m < 2 {
        return Err(Error::invalid_argument(
            "columns",
            nested("clusters_too_few_rows", &[&m.to_string(), &n.to_string()]),
        ));
    }
    let scaled = standardize(&columns, &rows)?;
    let points = Points { data: &scaled.data, d: scaled.used.len() };
    let sample = silhouette_sample(m, options.sample_size.min(m), seed);
    let (k, run, scores) = best_run(&points, &candidate_ks(options, m)?, &sample, seed, options)?;
    let (labels, segments, infos) = cluster_segments(&run, k, &rows, n, &scaled, &options.columns);
    Ok(ClusterResult {
        k,
        seed,
        columns: options.columns.clone(),
        clusters: infos,
        silhouette: scores,
        inertia: run.inertia,
        iterations: run.iterations,
        converged: run.converged,
        clustered: m,
        unclustered: n - m,
        sample_size: sample.len(),
        means: scaled.means,
        std_devs: scaled.std_devs,
        warnings: scaled.warnings,
        labels,
        segments,
    })
}

/// The clustered rows standardized (population std) on the columns that vary.
struct Standardized {
    /// Per column (all chosen ones): mean, or the single value of a constant column.
    means: Vec<f64>,
    /// Per column: population standard deviation; 0 for a constant column.
    std_devs: Vec<f64>,
    /// The columns in the distance (constant ones are left out).
    used: Vec<usize>,
    /// Row-major standardized values, `used.len()` per clustered row.
    data: Vec<f64>,
    warnings: Vec<String>,
}

/// Standardize `rows` of `columns`; constant columns are left out of the distance, with a warning.
fn standardize(columns: &[NumericColumn], rows: &[usize]) -> Result<Standardized> {
    let m = rows.len();
    let mut means = Vec::with_capacity(columns.len());
    let mut std_devs = Vec::with_capacity(columns.len());
    let mut used = Vec::new();
    let mut warnings = Vec::new();
    for (c, column) in columns.iter().enumerate() {
        let values = || rows.iter().map(|&row| column.values[row].unwrap_or(0.0));
        let mean = values().sum::<f64>() / m as f64;
        let (lo, hi) = values().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let variance = values().map(|v| (v - mean) * (v - mean)).sum::<f64>() / m as f64;
        let std = variance.sqrt();
        if lo == hi || !(std > 0.0 && std.is_finite()) {
            warnings.push(format!(
                "column `{}` has the same value ({lo}) in every clustered row, so it cannot separate customers; it \
                 was left out of the distance",
                column.name
            ));
            means.push(lo);
            std_devs.push(0.0);
        } else {
            means.push(mean);
            std_devs.push(std);
            used.push(c);
        }
    }
    if used.is_empty() {
        return Err(Error::invalid_argument("columns", nested("clusters_constant", &[])));
    }
    let mut data = Vec::with_capacity(m * used.len());
    for &row in rows {
        for &c in &used {
            data.push((columns[c].values[row].unwrap_or(0.0) - means[c]) / std_devs[c]);
        }
    }
    Ok(Standardized { means, std_devs, used, data, warnings })
}

/// The silhouette sample: `size` of the `m` clustered rows by a seeded partial Fisher–Yates shuffle (stream 0),
/// in row order.
fn silhouette_sample(m: usize, size: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..m).collect();
    let mut rng = Rng::new(seed, 0);
    for i in 0..size {
        let j = i + rng.below((m - i) as u64) as usize;
        order.swap(i, j);
    }
    order.truncate(size);
    order.sort_unstable();
    order
}

/// The k to try: the given one, or 2..=maxK (at most m − 1).
fn candidate_ks(options: &ClusterOptions, m: usize) -> Result<Vec<usize>> {
    match options.k {
        Some(k) if k > m => {
            Err(Error::invalid_argument("k", nested("clusters_k_rows", &[&k.to_string(), &m.to_string()])))
        }
        Some(k) => Ok(vec![k]),
        None => {
            let top = options.max_k.min(m - 1);
            if top < 2 {
                return Err(Error::invalid_argument("columns", nested("clusters_choose_k_rows", &[&m.to_string()])));
            }
            Ok((2..=top).collect())
        }
    }
}

/// k-means for every candidate k (stream k of the seed); the given k's run, or the one with the best silhouette.
fn best_run(
    points: &Points<'_>,
    candidates: &[usize],
    sample: &[usize],
    seed: u64,
    options: &ClusterOptions,
) -> Result<(usize, KMeansRun, Vec<SilhouetteScore>)> {
    let mut scores = Vec::new();
    let mut best: Option<(f64, usize, KMeansRun)> = None;
    for &k in candidates {
        let run = kmeans(points, k, &mut Rng::new(seed, k as u64), options.max_iterations)?;
        let score = run.as_ref().and_then(|run| silhouette(points, &run.labels, sample, k));
        scores.push(SilhouetteScore { k, score });
        let Some(run) = run else { continue };
        let rank = if options.k.is_some() { 0.0 } else { score.unwrap_or(f64::NEG_INFINITY) };
        if options.k.is_some() || (score.is_some() && best.as_ref().is_none_or(|(s, _, _)| rank > *s)) {
            best = Some((rank, k, run));
        }
    }
    match (best, options.k) {
        (Some((_, k, run)), _) => Ok((k, run, scores)),
        (None, Some(k)) => Err(Error::invalid_argument("k", nested("clusters_k_points", &[&k.to_string()]))),
        (None, None) => Err(Error::invalid_argument("columns", nested("clusters_few_points", &[]))),
    }
}

/// Per-row labels (1-based, 0 = unclustered), the segments and the cluster summaries, clusters ordered by size
/// (desc), then standardized centroid.
fn cluster_segments(
    run: &KMeansRun,
    k: usize,
    rows: &[usize],
    n: usize,
    scaled: &Standardized,
    names: &[String],
) -> (Vec<u8>, Vec<BuiltinSegment>, Vec<ClusterInfo>) {
    let (m, d) = (rows.len(), scaled.used.len());
    let mut sizes = vec![0usize; k];
    for &label in &run.labels {
        sizes[label as usize] += 1;
    }
    let centroid = |j: usize| &run.centroids[j * d..(j + 1) * d];
    let mut rank: Vec<usize> = (0..k).collect();
    rank.sort_by(|&a, &b| {
        sizes[b].cmp(&sizes[a]).then_with(|| {
            centroid(a)
                .iter()
                .zip(centroid(b))
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    });
    let mut new_index = vec![0usize; k];
    for (position, &old) in rank.iter().enumerate() {
        new_index[old] = position;
    }
    let mut labels = vec![0u8; n];
    let mut bitmaps = vec![Bitmap::zeros(n); k];
    for (i, &row) in rows.iter().enumerate() {
        let cluster = new_index[run.labels[i] as usize];
        labels[row] = (cluster + 1) as u8;
        bitmaps[cluster].set(row);
    }
    let mut infos = Vec::with_capacity(k);
    let mut segments = Vec::with_capacity(k + 1);
    for (position, (&old, members)) in rank.iter().zip(bitmaps).enumerate() {
        let mut original = scaled.means.clone();
        for (slot, &c) in scaled.used.iter().enumerate() {
            original[c] = centroid(old)[slot] * scaled.std_devs[c] + scaled.means[c];
        }
        let name = format!("Cluster {}", position + 1);
        let summary: Vec<String> =
            names.iter().zip(&original).map(|(column, v)| format!("{column} ≈ {}", significant(*v))).collect();
        segments.push(BuiltinSegment {
            name: name.clone(),
            description: Message::new(
                "desc_cluster",
                [
                    sizes[old].to_string(),
                    m.to_string(),
                    format!("{:.1}", 100.0 * sizes[old] as f64 / m as f64),
                    summary.join(", "),
                ],
            ),
            sql: None,
            condition: None,
            members,
        });
        infos.push(ClusterInfo { name, size: sizes[old], centroid: original });
    }
    if m < n {
        let clustered = Bitmap::from_fn(n, |row| labels[row] != 0);
        segments.push(BuiltinSegment {
            name: "Unclustered".into(),
            description: Message::new("desc_unclustered", [(n - m).to_string(), names.join(", ")]),
            sql: None,
            condition: None,
            members: clustered.not(),
        });
    }
    (labels, segments, infos)
}

fn validate(options: &ClusterOptions) -> Result<()> {
    if options.columns.is_empty() {
        return Err(Error::invalid_argument("columns", nested("clusters_no_columns", &[])));
    }
    for (i, name) in options.columns.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(Error::invalid_argument("columns", nested("clusters_empty_name", &[])));
        }
        if options.columns[..i].contains(name) {
            return Err(Error::invalid_argument("columns", nested("clusters_listed_twice", &[name])));
        }
    }
    if let Some(k) = options.k {
        if !(2..=MAX_K).contains(&k) {
            return Err(Error::invalid_argument("k", between(2, MAX_K, k)));
        }
    }
    if !(2..=MAX_K).contains(&options.max_k) {
        return Err(Error::invalid_argument("maxK", between(2, MAX_K, options.max_k)));
    }
    if !(1..=10_000).contains(&options.max_iterations) {
        return Err(Error::invalid_argument("maxIterations", between(1, 10_000, options.max_iterations)));
    }
    if !(10..=MAX_SAMPLE_SIZE).contains(&options.sample_size) {
        return Err(Error::invalid_argument("sampleSize", between(10, MAX_SAMPLE_SIZE, options.sample_size)));
    }
    Ok(())
}

/// "must be between `low` and `high` (got `got`)", catalogued.
fn between(low: usize, high: usize, got: usize) -> String {
    nested("must_be_between", &[&low.to_string(), &high.to_string(), &got.to_string()])
}

/// A number with 4 significant digits, for descriptions.
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_reproducible_and_streams_differ() {
        let a: Vec<u64> = (0..4).scan(Rng::new(7, 1), |r, _| Some(r.next_u64())).collect();
        let b: Vec<u64> = (0..4).scan(Rng::new(7, 1), |r, _| Some(r.next_u64())).collect();
        let c: Vec<u64> = (0..4).scan(Rng::new(7, 2), |r, _| Some(r.next_u64())).collect();
        let e: Vec<u64> = (0..4).scan(Rng::new(8, 1), |r, _| Some(r.next_u64())).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, e);
        let mut rng = Rng::new(1, 0);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[rng.below(3) as usize] += 1;
            let f = rng.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
    }

    #[test]
    fn xoshiro_reference_output() {
        // xoshiro256** from state {1, 2, 3, 4}: first output is rotl(2 * 5, 7) * 9 = 11520.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        assert_eq!(rng.next_u64(), 11_520);
        assert_eq!(rng.next_u64(), 0);
        assert_eq!(rng.next_u64(), 1_509_978_240);
    }

    #[test]
    fn kmeans_separates_obvious_groups() {
        let data: Vec<f64> = [0.0, 0.1, 0.2, 10.0, 10.1, 10.2, 20.0, 20.1].to_vec();
        let points = Points { data: &data, d: 1 };
        let run = kmeans(&points, 3, &mut Rng::new(1, 3), 100).unwrap().unwrap();
        assert!(run.converged);
        let l = &run.labels;
        assert!(l[0] == l[1] && l[1] == l[2] && l[3] == l[4] && l[4] == l[5] && l[6] == l[7]);
        assert!(l[0] != l[3] && l[3] != l[6] && l[0] != l[6]);
        assert!(kmeans(&points, 9, &mut Rng::new(1, 9), 100).unwrap().is_none());
        let s = silhouette(&points, &run.labels, &(0..8).collect::<Vec<_>>(), 3).unwrap();
        assert!(s > 0.9, "{s}");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(1234.567), "1235");
        assert_eq!(significant(1.23456), "1.235");
        assert_eq!(significant(0.012345), "0.01235");
    }
}
