/// A centred median filter over `width` values (5 by default; fewer at the ends), NaNs left out; NaN where all are NaN.
///
/// The labels (docs/LABELS.md) and the analysis report filter joint angles and risks with it.
public enum MedianFilter {
    public static func apply(_ series: [Double], width: Int = 5) -> [Double] {
        let half = width / 2
        return series.indices.map { i in
            let around = series[max(0, i - half)...min(series.count - 1, i + half)].filter { $0.isFinite }.sorted()
            guard !around.isEmpty else { return .nan }
            let n = around.count
            return n % 2 == 1 ? around[n / 2] : (around[n / 2 - 1] + around[n / 2]) / 2
        }
    }
}
