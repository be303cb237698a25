/// The dashboard's recent history, kept in memory: at most `capacity` samples (the oldest are
/// dropped), one per `DashboardSampler` tick in which the engine moved. Not journaled: it is a
/// view, and a restart starts it again (the journal holds everything it summarises).
public actor DashboardHistory {
    public let capacity: Int
    var samples: [DashboardSample] = []
    /// Index of the oldest sample once the buffer has wrapped.
    var start = 0

    public init(capacity: Int = 3_600) { self.capacity = Swift.max(capacity, 1) }

    /// Adds `sample` unless the engine has not moved since the last one (same records and clock).
    public func record(_ sample: DashboardSample) {
        if let last = newest, last.records == sample.records, last.clockMs == sample.clockMs { return }
        if samples.count < capacity {
            samples.append(sample)
        } else {
            samples[start] = sample
            start = (start + 1) % capacity
        }
    }

    var newest: DashboardSample? {
        guard !samples.isEmpty else { return nil }
        return samples[(start + samples.count - 1) % samples.count]
    }

    /// The samples taken after wall time `afterMs`, oldest first.
    public func samples(afterMs: Int64) -> [DashboardSample] {
        var result: [DashboardSample] = []
        for offset in 0..<samples.count {
            let sample = samples[(start + offset) % samples.count]
            if sample.wallMs > afterMs { result.append(sample) }
        }
        return result
    }
}
