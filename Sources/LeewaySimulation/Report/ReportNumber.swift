import Foundation
import LeewayCore

/// How every report (terminal tables, HTML tables, chart labels, verdicts) prints numbers, so a
/// value looks the same wherever it appears: counts with thousands separators ("10,000"), money
/// with separators and two decimals ("1,234,567.89"), compact money for charts and verdicts
/// ("1.23M"), and percentage points with two decimals. Machine outputs (JSON, CSV) keep full
/// precision and do not use this.
public enum ReportNumber {
    /// `value` with a comma every three digits of its integer part: 1234567 → "1,234,567".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(character)
        }
        return value < 0 ? "-" + text : text
    }

    /// A decimal text ("-1234567.891") with its integer part grouped ("-1,234,567.891").
    static func groupingDecimalText(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1).map(String.init)
        guard let whole = parts.first, let integer = Int(whole) else { return text }
        let grouped = grouped(integer) + (parts.count == 2 ? "." + parts[1] : "")
        return negative ? "-" + grouped : grouped
    }

    /// Exact money, rounded half-even to cents and grouped: 1234567.891 → "1,234,567.89".
    public static func money(_ amount: Fixed) -> String {
        groupingDecimalText((try? amount.formatted(digits: 2, rounding: .toNearestOrEven)) ?? amount.description)
    }

    /// Estimated money (a simulation's Double), rounded to cents and grouped; "n/a" when not finite.
    public static func money(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        guard Swift.abs(value) < 1e15 else { return String(format: "%.3e", value) }
        let text = String(format: "%.2f", value)
        return groupingDecimalText(text == "-0.00" ? "0.00" : text)
    }

    /// A count that may be a mean (fractional): whole counts grouped, others with one decimal.
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value == value.rounded(), Swift.abs(value) < 1e15 { return grouped(Int(value)) }
        return groupingDecimalText(String(format: "%.1f", value))
    }

    /// Three significant digits with k / M / B: 1234567 → "1.23M", 45600 → "45.6k", 950 → "950",
    /// 0.1234 → "0.123", 0 → "0". Trailing zeros after the point are dropped ("1.2M").
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = Swift.abs(value)
        let (scaled, suffix): (Double, String) = magnitude >= 1e9 ? (value / 1e9, "B") : magnitude >= 1e6 ? (value / 1e6, "M")
            : magnitude >= 1e3 ? (value / 1e3, "k") : (value, "")
        if scaled == 0 { return "0" }
        let digits = Swift.max(0, 2 - Int(Foundation.floor(Foundation.log10(Swift.abs(scaled)))))
        var text = String(format: "%.\(digits)f", scaled)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        // Rounding may carry into the next unit (999.6k → "1000k"): say 1M instead.
        if text == "1000" || text == "-1000", let next = ["": "k", "k": "M", "M": "B"][suffix] {
            return (value < 0 ? "-1" : "1") + next
        }
        return text + suffix
    }

    /// A fraction difference in percentage points with two decimals: 0.01234 → "1.23".
    public static func percentagePoints(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "n/a" }
        let text = String(format: "%.2f", fraction * 100)
        return text == "-0.00" ? "0.00" : text
    }

    /// A metric's value in its unit's format (the unit itself goes in the unit column).
    public static func format(_ value: MetricValue, unit: MetricUnit) -> String {
        switch (value, unit) {
        case (.count(let count), _): return grouped(count)
        case (.exact(let amount), _): return money(amount)
        case (.estimate(let number), .percentagePoints): return percentagePoints(number)
        case (.estimate(let number), .accounts), (.estimate(let number), .count): return count(number)
        case (.estimate(let number), .usdc): return money(number)
        }
    }

    /// A distribution's statistic (a Double) in the unit's format.
    public static func format(_ value: Double, unit: MetricUnit) -> String {
        switch unit {
        case .accounts, .count: return count(value)
        case .usdc: return money(value)
        case .percentagePoints: return percentagePoints(value)
        }
    }
}
