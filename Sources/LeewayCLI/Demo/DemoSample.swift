import Foundation

/// Finds the sample crash shipped with `leeway` (Demo/Sample, copied by SwiftPM as a resource of
/// the executable), without `Bundle.module`, which stops the process when the bundle is missing.
enum DemoSample {
    static let fileName = "ethusdt-1m-2024-08-05.json.gz"
    /// What the sample is, for the demo's opening lines.
    static let description = "ETH/USDT on 2024-08-05 (Binance 1-minute candles, \"Black Monday\")"

    /// The sample's path: in the resource bundle beside the executable (`swift run`, `swift build`,
    /// a copied build directory), else in the source tree this binary was built from. nil if neither exists.
    static func path() -> String? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let directory = executable.deletingLastPathComponent()
            for bundle in ["Leeway_LeewayCLI.resources", "Leeway_LeewayCLI.bundle", "Leeway_LeewayCLI.bundle/Contents/Resources"] {
                candidates.append(directory.appendingPathComponent(bundle).appendingPathComponent(fileName))
            }
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Sample").appendingPathComponent(fileName))
        return candidates.map(\.path).first { FileManager.default.isReadableFile(atPath: $0) }
    }
}
