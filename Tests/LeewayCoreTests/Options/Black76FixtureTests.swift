import Foundation
import Testing
@testable import LeewayCore

/// `Black76` against QuantLib's `BlackCalculator` (`scripts/options-fixtures/make-fixture.py`,
/// 600 random options: moneyness 0.5–2, expiries 1 hour–1 year, volatilities 10–300 %).
///
/// Tolerance: |ours − QuantLib| ≤ r × max(|QuantLib|, floor), r = 1e-10 for prices and 1e-8 for
/// the Greeks. The floor only matters for values near zero (a deep out-of-the-money option an hour
/// from expiry is worth 1e-300 of its forward or exactly 0), where a relative error says nothing:
/// price floor 1e-5 × F (an absolute 1e-15 × F, a few ulps of F: both implementations compute
/// F·Φ(d₁) − K·Φ(d₂), whose cancellation for a far out-of-the-money option amplifies the last-bit
/// differences of their Φ — far below the ledger's 10⁻⁸ for any F < 10⁷); vega and theta (per
/// year) floor 1e-6 × F, delta 1e-6, gamma 1e-6 / F.
@Suite("Black-76 against the QuantLib fixture")
struct Black76FixtureTests {
    struct Option: Decodable, Sendable, CustomTestStringConvertible {
        let kind: String, forward: String, strike: String, vol: String, years: String
        let expiryMs: Int64
        let price: String, delta: String, gamma: String, vega: String, theta: String

        var testDescription: String { "\(kind) F=\(forward) K=\(strike) σ=\(vol) T=\(years)" }
    }

    struct File: Decodable { let options: [Option] }

    static let options: [Option] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/black76-quantlib.json")
        return (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)).options) ?? []
    }()

    static func number(_ text: String) throws -> Double { try #require(Double(text), "not a number: \(text)") }

    static func expectClose(_ name: String, _ ours: Double, _ reference: Double, relative: Double, floor: Double,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let allowed = relative * Swift.max(reference.magnitude, floor)
        #expect((ours - reference).magnitude <= allowed, "\(name): ours \(ours), QuantLib \(reference)", sourceLocation: sourceLocation)
    }

    @Test("the fixture holds at least 500 options spanning the issue's ranges")
    func fixtureCoversTheRanges() throws {
        let options = Self.options
        #expect(options.count >= 500)
        let moneyness = try options.map { try Self.number($0.strike) / Self.number($0.forward) }
        let vols = try options.map { try Self.number($0.vol) }
        let expiries = options.map(\.expiryMs)
        #expect(moneyness.min()! >= 0.5 && moneyness.max()! <= 2.0 && moneyness.min()! < 0.55 && moneyness.max()! > 1.9)
        #expect(vols.min()! >= 0.1 && vols.max()! <= 3.0 && vols.min()! < 0.15 && vols.max()! > 2.9)
        #expect(expiries.min()! >= 3_600_000 && expiries.max()! <= 31_536_000_000)
        #expect(Set(options.map(\.kind)) == ["call", "put"])
    }

    @Test("prices within 1e-10 and Greeks within 1e-8 relative of QuantLib", arguments: options)
    func matchesQuantLib(option: Option) throws {
        let forward = try Self.number(option.forward)
        let years = try Self.number(option.years)
        #expect(years == Double(option.expiryMs) / Black76.millisecondsPerYear)
        let kind = try #require(Black76.Kind(rawValue: option.kind))
        let ours = Black76.valuation(kind, forward: forward, strike: try Self.number(option.strike),
                                     volatility: try Self.number(option.vol), years: years)
        Self.expectClose("price", ours.price, try Self.number(option.price), relative: 1e-10, floor: 1e-5 * forward)
        Self.expectClose("delta", ours.delta, try Self.number(option.delta), relative: 1e-8, floor: 1e-6)
        Self.expectClose("gamma", ours.gamma, try Self.number(option.gamma), relative: 1e-8, floor: 1e-6 / forward)
        Self.expectClose("vega", ours.vega, try Self.number(option.vega), relative: 1e-8, floor: 1e-6 * forward)
        Self.expectClose("theta", ours.theta, try Self.number(option.theta), relative: 1e-8, floor: 1e-6 * forward)
        // `price` alone is the same function as the valuation's price (the scenario grid uses it).
        #expect(Black76.price(kind, forward: forward, strike: try Self.number(option.strike),
                              volatility: try Self.number(option.vol), years: years) == ours.price)
    }

    @Test("put-call parity: call − put = F − K", arguments: [(100.0, 80.0), (100.0, 100.0), (100.0, 150.0)])
    func putCallParity(forward: Double, strike: Double) {
        let call = Black76.price(.call, forward: forward, strike: strike, volatility: 0.8, years: 0.25)
        let put = Black76.price(.put, forward: forward, strike: strike, volatility: 0.8, years: 0.25)
        #expect(((call - put) - (forward - strike)).magnitude < 1e-11 * forward)
    }

    @Test("at expiry the value is intrinsic and the Greeks are those of the payoff")
    func atExpiry() {
        let call = Black76.valuation(.call, forward: 120, strike: 100, volatility: 0.5, years: 0)
        #expect(call == Black76.Valuation(price: 20, delta: 1, gamma: 0, vega: 0, theta: 0))
        let put = Black76.valuation(.put, forward: 120, strike: 100, volatility: 0.5, years: 0)
        #expect(put == Black76.Valuation(price: 0, delta: 0, gamma: 0, vega: 0, theta: 0))
    }
}
