import Foundation

/// Formats benchmark figures as an aligned text table on standard output.
struct BenchReport {
    func heading(_ text: String) { print(text) }

    func section(_ title: String) { print("\n" + title) }

    func line(_ text: String) { print(text) }

    func row(_ label: String, _ figure: String, _ comment: String) {
        print("   " + label.padding(toLength: 38, withPad: " ", startingAt: 0)
              + figure.padding(toLength: 34, withPad: " ", startingAt: 0) + comment)
    }

    /// A duration in the largest unit that keeps it ≥ 1 (ns, µs, ms, s), 3 significant digits.
    func format(_ duration: Duration) -> String {
        let seconds = Self.seconds(duration)
        switch seconds {
        case ..<1e-6: return String(format: "%.1f ns", seconds * 1e9)
        case ..<1e-3: return String(format: "%.2f µs", seconds * 1e6)
        case ..<1: return String(format: "%.2f ms", seconds * 1e3)
        default: return String(format: "%.2f s", seconds)
        }
    }

    /// count / duration, as e.g. "12.3M".
    func rate(_ count: Double, per duration: Duration) -> String {
        let perSecond = count / Swift.max(Self.seconds(duration), 1e-12)
        switch perSecond {
        case 1e9...: return String(format: "%.2fG", perSecond / 1e9)
        case 1e6...: return String(format: "%.2fM", perSecond / 1e6)
        case 1e3...: return String(format: "%.1fk", perSecond / 1e3)
        default: return String(format: "%.1f", perSecond)
        }
    }

    /// slow / fast as "1234×".
    func ratio(_ slow: Duration, _ fast: Duration) -> String {
        String(format: "%.0f×", Self.seconds(slow) / Swift.max(Self.seconds(fast), 1e-15))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
