import LeewayCore

/// Latin-hypercube sampling of the unit cube: n points in d dimensions such that, in every
/// dimension, each of the n equal slices [k/n, (k+1)/n) holds exactly one point (a random
/// permutation per dimension, a uniform offset within the slice). Seeded, so a seed gives the same
/// candidates on every machine and for every thread count.
public enum LatinHypercube {
    public static func sample(count: Int, dimensions: Int, seed: UInt64) -> [[Double]] {
        guard count > 0 else { return [] }
        var generator = SplitMix64(seed: seed)
        var points = Array(repeating: Array(repeating: 0.0, count: dimensions), count: count)
        for dimension in 0..<dimensions {
            var slices = Array(0..<count)
            for index in stride(from: count - 1, to: 0, by: -1) {  // Fisher–Yates
                let other = Int(generator.next() % UInt64(index + 1))
                slices.swapAt(index, other)
            }
            for point in 0..<count {
                points[point][dimension] = (Double(slices[point]) + generator.nextUnit()) / Double(count)
            }
        }
        return points
    }
}
