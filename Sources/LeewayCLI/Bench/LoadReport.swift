import Foundation

/// What `leeway load` measured, printed as the same JSON object as `scripts/load.py`.
struct LoadReport: Sendable {
    var requests = 0
    var answered = 0
    var unanswered = 0
    /// Each 200 response's time from its request's due time to its end (ns).
    var latenciesNs: [Int64] = []
    /// How late each request was sent after its due time, when it was sent or queued (ns).
    var behindNs: [Int64] = []
    /// Responses by status (-1, reported as "error": the connection closed with the request in flight).
    var statuses: [Int: Int] = [:]
    /// From the start to the last 200 response (ns).
    var lastAcknowledgedNs: Int64 = 0
    /// From the start to the last request sent or queued (ns).
    var schedulingNs: Int64 = 0

    mutating func record(status: Int?, latencyNs: Int64, elapsedNs: Int64) {
        answered += 1
        statuses[status ?? -1, default: 0] += 1
        guard status == 200 else { return }
        latenciesNs.append(latencyNs)
        lastAcknowledgedNs = Swift.max(lastAcknowledgedNs, elapsedNs)
    }

    /// The nearest-rank percentile `p` of `values` in ms (2 decimals), as `scripts/load.py` takes it.
    static func percentileMs(_ sorted: [Int64], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let value = sorted[Swift.min(sorted.count - 1, Int(p * Double(sorted.count)))]
        return (Double(value) / 1e4).rounded() / 100
    }

    func json(rate: Double, batch: Int, duration: Double) -> String {
        let latencies = latenciesNs.sorted()
        let behind = behindNs.sorted()
        let acknowledged = statuses[200, default: 0]
        let seconds = Swift.max(Double(lastAcknowledgedNs) / 1e9, duration)
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "null" }
        let statusText = statuses.keys.sorted().map { "\"\($0 == -1 ? "error" : String($0))\": \(statuses[$0]!)" }.joined(separator: ", ")
        let behindP99 = behind.isEmpty ? nil : (Double(behind[Int(0.99 * Double(behind.count - 1))]) / 1e4).rounded() / 100
        return """
        {"rate_requests_per_s": \(rate), "batch": \(batch), "duration_s": \(duration), "requests": \(requests), \
        "acknowledged_commands_per_s": \(Int((Double(acknowledged * batch) / seconds).rounded())), \
        "latency_ms": {"p50": \(number(Self.percentileMs(latencies, 0.5))), "p90": \(number(Self.percentileMs(latencies, 0.9))), \
        "p99": \(number(Self.percentileMs(latencies, 0.99))), "max": \(number(Self.percentileMs(latencies, 1.0)))}, \
        "statuses": {\(statusText)}, "unanswered": \(unanswered), "generator_behind_ms_p99": \(number(behindP99)), \
        "scheduling_s": \((Double(schedulingNs) / 1e7).rounded() / 100)}
        """
    }
}
