import Foundation
import Prometheus

/// The service's Prometheus metrics (`GET /metrics`): requests, latencies, queue depth, rejects by reason.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 20, 60, 120, 300].map { .milliseconds(Int($0 * 1000)) }

    private func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "biomech", subsystem: "serve", metricName: name, unitName: unit, helpText: help)
    }

    /// One answered request: its route (the pattern, not the path, so job ids do not multiply series) and status.
    func request(route: String, method: String, status: Int, seconds: Double) {
        registry.makeCounter(descriptor: descriptor("requests", "total", "HTTP requests answered, by route, method and status"),
                             labels: [("route", route), ("method", method), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(descriptor: descriptor("request_duration", "seconds", "Time from request to answer, by route"),
                                       labels: [("route", route)], buckets: Self.buckets)
            .record(.milliseconds(Int64(seconds * 1000)))
    }

    /// A request refused before or instead of analysis, by the error's code (`queue_full`, `too_large`, ...).
    func reject(_ code: String) {
        registry.makeCounter(descriptor: descriptor("rejects", "total", "Requests refused, by reason (the error code)"),
                             labels: [("reason", code)]).increment()
    }

    /// One finished analysis, by its outcome's status.
    func analysis(status: Int, seconds: Double) {
        registry.makeCounter(descriptor: descriptor("analyses", "total", "Analyses the workers finished, by HTTP status"),
                             labels: [("status", "\(status)")]).increment()
        registry.makeDurationHistogram(descriptor: descriptor("analysis_duration", "seconds", "Worker time per analysis"),
                                       labels: [], buckets: Self.buckets)
            .record(.milliseconds(Int64(seconds * 1000)))
    }

    /// The Prometheus text, with the pool's gauges read now.
    func text(_ pool: AnalysisPool.Snapshot) -> [UInt8] {
        registry.makeGauge(descriptor: descriptor("queue_depth", "jobs", "Jobs waiting for a worker")).set(Double(pool.queued))
        registry.makeGauge(descriptor: descriptor("running", "jobs", "Jobs a worker is analysing")).set(Double(pool.running))
        registry.makeGauge(descriptor: descriptor("admitted", "requests", "Uploads, queued and running jobs holding a place")).set(Double(pool.admitted))
        registry.makeGauge(descriptor: descriptor("workers_ready", "workers", "Worker processes started and ready")).set(Double(pool.readyWorkers))
        return registry.emitToBuffer()
    }
}
