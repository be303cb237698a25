/// What a simulation ran on, for headers of tables, JSON and reports.
struct SimulationSummary: CustomStringConvertible {
    var source: String
    var accounts: Int
    var seed: UInt64
    var pathPoints: Int

    var description: String { "\(source): \(pathPoints) path points, \(accounts) accounts, seed \(seed)" }
}
