import Foundation
import Testing
@testable import LeewayCore

/// `DeterministicMath` against the vectors from `scripts/make-math-vectors.py`.
///
/// The bit-pattern tests are the cross-machine determinism check: the committed outputs come from
/// an independent Python port of the same algorithms, so any platform, compiler or optimisation
/// level that computes a different bit fails here. The reference tests check accuracy against
/// mpmath. Regenerate the fixture with `python3 scripts/make-math-vectors.py` after changing the
/// algorithms (in both places).
@Suite("Deterministic transcendental functions")
struct DeterministicMathTests {

    // MARK: Bit patterns

    @Test("log matches the committed bit patterns")
    func logBits() throws {
        try expectCommittedBits("log", DeterministicMath.log)
    }

    @Test("exp2 matches the committed bit patterns")
    func exp2Bits() throws {
        try expectCommittedBits("exp2", DeterministicMath.exp2)
    }

    @Test("erfc matches the committed bit patterns")
    func erfcBits() throws {
        try expectCommittedBits("erfc", DeterministicMath.erfc)
    }

    @Test("normalCDF matches the committed bit patterns")
    func normalCDFBits() throws {
        try expectCommittedBits("normalCDF", DeterministicMath.normalCDF)
    }

    @Test("exp matches the committed bit patterns")
    func expBits() throws {
        try expectCommittedBits("exp", DeterministicMath.exp)
    }

    // MARK: Accuracy against mpmath

    @Test("log is within 2 ulp of the mpmath reference")
    func logAccuracy() throws {
        // 2 ulp of the exact value, plus half an ulp for rounding the reference to Double.
        try expectCloseToReference("log", DeterministicMath.log) { _, reference in 2.5 * reference.ulp }
    }

    @Test("exp2 is within 2 ulp of the mpmath reference")
    func exp2Accuracy() throws {
        try expectCloseToReference("exp2", DeterministicMath.exp2) { _, reference in 2.5 * reference.ulp }
    }

    @Test("exp is within 2 ulp of the mpmath reference")
    func expAccuracy() throws {
        try expectCloseToReference("exp", DeterministicMath.exp) { _, reference in 2.5 * reference.ulp }
    }

    @Test("erfc is within 1e-15 relative of the mpmath reference, absolute near underflow")
    func erfcAccuracy() throws {
        try expectCloseToReference("erfc", DeterministicMath.erfc) { _, reference in
            (1e-15 + 0x1p-53) * reference.magnitude + 5 * Double.leastNonzeroMagnitude
        }
    }

    @Test("normalCDF is within erfc's tolerance plus the conditioning of x/√2")
    func normalCDFAccuracy() throws {
        try expectCloseToReference("normalCDF", DeterministicMath.normalCDF) { x, reference in
            let conditioning = (Swift.min(x * x, 1e6) + 2) * 0x1p-52
            return (1e-15 + conditioning + 0x1p-53) * reference.magnitude + 5 * Double.leastNonzeroMagnitude
        }
    }

    // MARK: Edge cases, spelled out

    @Test("special values follow IEEE conventions")
    func specialValues() {
        #expect(DeterministicMath.log(0) == -.infinity)
        #expect(DeterministicMath.log(-0.0) == -.infinity)
        #expect(DeterministicMath.log(-1).isNaN)
        #expect(DeterministicMath.log(-.infinity).isNaN)
        #expect(DeterministicMath.log(.infinity) == .infinity)
        #expect(DeterministicMath.log(.nan).isNaN)
        #expect(DeterministicMath.exp2(.infinity) == .infinity)
        #expect(DeterministicMath.exp2(1024) == .infinity)
        #expect(DeterministicMath.exp2(-.infinity) == 0)
        #expect(DeterministicMath.exp2(-1075) == 0)
        #expect(DeterministicMath.exp2(-1074) == .leastNonzeroMagnitude)
        #expect(DeterministicMath.exp2(.nan).isNaN)
        #expect(DeterministicMath.erfc(.infinity) == 0)
        #expect(DeterministicMath.erfc(-.infinity) == 2)
        #expect(DeterministicMath.erfc(30) == 0)
        #expect(DeterministicMath.erfc(-30) == 2)
        #expect(DeterministicMath.erfc(.nan).isNaN)
        #expect(DeterministicMath.normalCDF(.infinity) == 1)
        #expect(DeterministicMath.normalCDF(-.infinity) == 0)
        #expect(DeterministicMath.normalCDF(.nan).isNaN)
    }

    @Test("every NaN result is the canonical quiet NaN")
    func canonicalNaN() {
        let negativeNaN = Double(bitPattern: 0xFFF8_0000_0000_0001)
        let signalingNaN = Double(bitPattern: 0x7FF0_0000_0000_0001)
        for input in [Double.nan, negativeNaN, signalingNaN] {
            #expect(DeterministicMath.log(input).bitPattern == Double.nan.bitPattern)
            #expect(DeterministicMath.exp2(input).bitPattern == Double.nan.bitPattern)
            #expect(DeterministicMath.erfc(input).bitPattern == Double.nan.bitPattern)
            #expect(DeterministicMath.normalCDF(input).bitPattern == Double.nan.bitPattern)
        }
        #expect(DeterministicMath.log(-2).bitPattern == Double.nan.bitPattern)
    }

    @Test("exact cases are exact")
    func exactCases() {
        #expect(DeterministicMath.log(1) == 0)
        #expect(DeterministicMath.erfc(0) == 1)
        #expect(DeterministicMath.normalCDF(0) == 0.5)
        let inexact = (-1074...1023).filter {
            DeterministicMath.exp2(Double($0)) != Double(sign: .plus, exponent: $0, significand: 1)
        }
        #expect(inexact.isEmpty, "exp2(n) is not exactly 2^n for n in \(inexact.prefix(10))")
    }

    @Test("normalCDF is symmetric to within rounding")
    func normalCDFSymmetry() {
        for x in stride(from: 0.0, through: 6.0, by: 0.125) {
            let sum = DeterministicMath.normalCDF(x) + DeterministicMath.normalCDF(-x)
            #expect((sum - 1).magnitude <= 4 * 0x1p-53, "Φ(\(x)) + Φ(-\(x)) = \(sum)")
        }
    }
}

// MARK: - Fixture

/// `Tests/LeewayCoreTests/Fixtures/deterministic-math-vectors.json`.
private struct MathVectorFile: Decodable {
    struct Function: Decodable {
        let vectors: [Vector]
    }

    /// Bit patterns as 16 hex digits; `reference` is a decimal string, or `nan` / `inf` / `-inf`.
    struct Vector: Decodable {
        let input: String
        let output: String
        let reference: String
    }

    let functions: [String: Function]

    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/deterministic-math-vectors.json")

    static func vectors(_ name: String) throws -> [(input: Double, output: UInt64, reference: Double)] {
        let file = try JSONDecoder().decode(MathVectorFile.self, from: Data(contentsOf: url))
        let vectors = try #require(file.functions[name], "no \(name) vectors in \(url.path)").vectors
        return try vectors.map { vector in
            let input = try #require(UInt64(vector.input, radix: 16), "bad input \(vector.input)")
            let output = try #require(UInt64(vector.output, radix: 16), "bad output \(vector.output)")
            let reference: Double
            switch vector.reference {
            case "nan": reference = .nan
            case "inf": reference = .infinity
            case "-inf": reference = -.infinity
            default: reference = try #require(Double(vector.reference), "bad reference \(vector.reference)")
            }
            return (Double(bitPattern: input), output, reference)
        }
    }
}

private func hex(_ value: Double) -> String {
    let digits = String(value.bitPattern, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}

/// Every vector's output has exactly the committed bit pattern.
private func expectCommittedBits(_ name: String, _ function: (Double) -> Double,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    let vectors = try MathVectorFile.vectors(name)
    #expect(vectors.count >= 100, "only \(vectors.count) \(name) vectors", sourceLocation: sourceLocation)
    var mismatches: [String] = []
    for vector in vectors {
        let got = function(vector.input)
        if got.bitPattern != vector.output {
            mismatches.append("\(name)(\(vector.input) = \(hex(vector.input))) = \(got) = \(hex(got)), "
                + "committed \(Double(bitPattern: vector.output)) = \(hex(Double(bitPattern: vector.output)))")
        }
    }
    let details = mismatches.prefix(20).joined(separator: "\n")
    #expect(mismatches.isEmpty,
            "\(mismatches.count) of \(vectors.count) \(name) results differ from the committed bits:\n\(details)",
            sourceLocation: sourceLocation)
}

/// Every vector's output is within `tolerance(input, reference)` of the mpmath reference
/// (rounded to `Double`); NaN and infinite references must be matched exactly.
private func expectCloseToReference(_ name: String, _ function: (Double) -> Double,
                                    tolerance: (Double, Double) -> Double,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    let vectors = try MathVectorFile.vectors(name)
    var misses: [String] = []
    for vector in vectors {
        let got = function(vector.input)
        let reference = vector.reference
        let close: Bool
        if reference.isNaN {
            close = got.isNaN
        } else if reference.isInfinite || got.isInfinite || got.isNaN {
            close = got == reference
        } else {
            close = (got - reference).magnitude <= tolerance(vector.input, reference)
        }
        if !close {
            misses.append("\(name)(\(vector.input) = \(hex(vector.input))) = \(got), reference \(reference)")
        }
    }
    let details = misses.prefix(20).joined(separator: "\n")
    #expect(misses.isEmpty,
            "\(misses.count) of \(vectors.count) \(name) results are too far from mpmath:\n\(details)",
            sourceLocation: sourceLocation)
}
