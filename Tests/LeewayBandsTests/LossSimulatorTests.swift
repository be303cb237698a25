import Foundation
import LeewayBands
import Testing

@Suite("Curve's loss simulation")
struct LossSimulatorTests {
    struct ReferenceCase: Sendable, CustomStringConvertible {
        let file: String
        let loss: Double
        var description: String { file }
    }

    /// Curve's simulator, unmodified, on the shared files (reference/bands/simulator-model.md).
    static let references = [
        ReferenceCase(file: "ethusdt-1m-2024-08-05.json.gz", loss: 0.08251464359152028),
        ReferenceCase(file: "btcusdt-1m-2024-08-05.json.gz", loss: 0.03626455126765871),
    ]

    @Test("a whole-file run agrees with Curve's simulator to 1e-9", arguments: references)
    func referenceLossIsReproduced(reference: ReferenceCase) throws {
        let series = try BandsFixtures.series(reference.file)
        let parameters = LossSimulationParameters(a: 100, bands: 4, fee: 0.002)
        let loss = try LossSimulator.loss(series: series, rows: series.window(position: 0, size: 1), parameters: parameters)
        #expect(BandsFixtures.close(loss, reference.loss, relative: 1e-9), "loss \(loss) vs Curve \(reference.loss)")
    }
}
