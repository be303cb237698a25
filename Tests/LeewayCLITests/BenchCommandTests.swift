import Foundation
import Testing

/// `leeway bench` on a small venue: checks what the benchmark verifies (both evaluation paths
/// agree, nothing is left unevaluated), never its timings.
@Suite("leeway bench, run as a process", .ownThread)
struct BenchCommandTests {
    @Test("on a small venue both mark paths give the same events and digest and miss nothing")
    func smallVenueIsConsistent() throws {
        let result = try LeewayProcess.run(["bench", "--accounts", "3000", "--markets", "3", "--quiet-marks", "100", "--repeats", "1", "--insurance-fund", "0"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("3000 deposit+fill commands") == false)
        #expect(result.standardOutput.contains("6000 deposit+fill commands"))
        #expect(result.standardOutput.contains(", 0 rejected"))
        #expect(result.standardOutput.contains("events from quiet marks: 0 (expected 0)"))
        #expect(result.standardOutput.contains("same events and digest on both paths: yes"))
        #expect(result.standardOutput.contains("full re-margin check): 0 (expected 0)"))
        #expect(result.standardOutput.contains("adl_fill"))
        #expect(result.standardOutput.contains("same summary on all three: yes"))
    }

    @Test("bad options exit 2", arguments: [["bench", "--accounts", "0"], ["bench", "--insurance-fund", "-1"], ["bench", "--markets", "x"]])
    func badOptions(arguments: [String]) throws {
        let result = try LeewayProcess.run(arguments)
        #expect(result.status == 2)
        #expect(!result.standardError.isEmpty)
    }
}
