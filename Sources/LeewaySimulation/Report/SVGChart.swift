import Foundation

/// Small, dependency-free SVG charts for the HTML reports: line charts with markers, bar charts
/// and histograms. Output is plain SVG text with every number printed at fixed precision, so the
/// same data gives the same bytes.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, color: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.color = color
            self.points = points
        }
    }

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    static let width = 760.0, height = 300.0
    static let left = 70.0, right = 20.0, top = 30.0, bottom = 40.0

    static func f(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A short human label for an axis value.
    public static func label(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        if magnitude >= 1e9 { return f(value / 1e9) + "G" }
        if magnitude >= 1e6 { return f(value / 1e6) + "M" }
        if magnitude >= 1e4 { return f(value / 1e3) + "k" }
        if magnitude >= 10 || magnitude == 0 { return f(value) }
        let text = String(value)
        return text.count > 7 ? String(text.prefix(7)) : text
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Keeps at most `limit` points, evenly spaced, always including the first and last.
    static func thin(_ points: [(x: Double, y: Double)], limit: Int = 1_000) -> [(x: Double, y: Double)] {
        guard points.count > limit else { return points }
        let stride = Double(points.count - 1) / Double(limit - 1)
        return (0..<limit).map { points[Int((Double($0) * stride).rounded())] }
    }

    static func frame(title: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, xLabel: (Double) -> String) -> String {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height - top - bottom))\" fill=\"none\" stroke=\"#999\"/>"
        for tick in 0...4 {
            let fraction = Double(tick) / 4
            let y = top + (height - top - bottom) * (1 - fraction)
            let value = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * fraction
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(label(value)))</text>"
            let x = left + (width - left - right) * fraction
            let xValue = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * fraction
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(escape(xLabel(xValue)))</text>"
        }
        return svg
    }

    /// The axis range of `values`: padded by 5 % (not below zero when `includeZero` and all values
    /// are ≥ 0), unpadded for a time axis.
    static func range(_ values: [Double], includeZero: Bool = false, padded: Bool = true) -> ClosedRange<Double> {
        var low = values.min() ?? 0, high = values.max() ?? 1
        if includeZero { low = Swift.min(low, 0); high = Swift.max(high, 0) }
        if high <= low { high = low + 1 }
        let pad = padded ? (high - low) * 0.05 : 0
        return (includeZero && low == 0 ? 0 : low - pad)...(high + pad)
    }

    /// A line chart; `markers` are drawn as circles with area proportional to their weight.
    public static func lines(title: String, series: [Series], markers: [(x: Double, y: Double, weight: Double)] = [],
                             counts: Bool = false, xLabel: (Double) -> String = { label($0) }) -> String {
        let thinned = series.map { Series(name: $0.name, color: $0.color, points: thin($0.points)) }
        let xs = thinned.flatMap { $0.points.map(\.x) }, ys = thinned.flatMap { $0.points.map(\.y) } + markers.map(\.y)
        let xRange = range(xs, padded: false), yRange = range(ys, includeZero: counts)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * (height - top - bottom) }
        var svg = frame(title: title, xRange: xRange, yRange: yRange, xLabel: xLabel)
        for (index, line) in thinned.enumerated() where !line.points.isEmpty {
            let d = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.4\" points=\"\(d)\"/>"
            svg += "<text x=\"\(f(left + 8 + Double(index) * 150))\" y=\"\(f(top + 14))\" fill=\"\(line.color)\">\(escape(line.name))</text>"
        }
        // Markers closer than 3 px (x) and 6 px (y) are merged: weights add, position is the
        // weight-averaged one. Keeps the file small on a crash with thousands of liquidations.
        var merged: [Int: (x: Double, y: Double, weight: Double)] = [:]
        for marker in markers {
            let key = Int(px(marker.x) / 3) * 1_000 + Int(py(marker.y) / 6)
            let old = merged[key] ?? (0, 0, 0)
            let weight = old.weight + marker.weight
            merged[key] = weight > 0
                ? ((old.x * old.weight + marker.x * marker.weight) / weight, (old.y * old.weight + marker.y * marker.weight) / weight, weight)
                : (marker.x, marker.y, 0)
        }
        let circles = merged.keys.sorted().compactMap { merged[$0] }
        let heaviest = circles.map(\.weight).max() ?? 1
        for marker in circles {
            let radius = 1.5 + 6 * (marker.weight / Swift.max(heaviest, 1e-12)).squareRoot()
            svg += "<circle cx=\"\(f(px(marker.x)))\" cy=\"\(f(py(marker.y)))\" r=\"\(f(radius))\" fill=\"#d62728\" fill-opacity=\"0.35\"/>"
        }
        return svg + "</svg>"
    }

    /// Grouped bars: one group per category, one bar per series (policy). Each category is scaled
    /// to its own largest magnitude (categories differ by orders of magnitude), and every bar is
    /// labelled with its value.
    public static func bars(title: String, categories: [String], series: [(name: String, values: [Double])]) -> String {
        let yRange = -1.0...1.0
        func py(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"10\">"
        svg += "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(py(0)))\" y2=\"\(f(py(0)))\" stroke=\"#999\"/>"
        let groupWidth = (width - left - right) / Double(Swift.max(categories.count, 1))
        let barWidth = groupWidth * 0.8 / Double(Swift.max(series.count, 1))
        for (group, category) in categories.enumerated() {
            let x0 = left + Double(group) * groupWidth + groupWidth * 0.1
            let scale = series.map { group < $0.values.count ? Swift.abs($0.values[group]) : 0 }.max() ?? 0
            svg += "<text x=\"\(f(x0 + groupWidth * 0.4))\" y=\"\(f(height - bottom + 30))\" text-anchor=\"middle\" font-size=\"11\">\(escape(category))</text>"
            for (index, bar) in series.enumerated() where group < bar.values.count {
                let value = bar.values[group]
                let normalised = scale > 0 ? value / scale * 0.85 : 0
                let y = py(Swift.max(normalised, 0)), height = Swift.abs(py(0) - py(normalised))
                let x = x0 + Double(index) * barWidth
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth - 2))\" height=\"\(f(height))\" fill=\"\(palette[index % palette.count])\"><title>\(escape(bar.name)): \(escape(label(value)))</title></rect>"
                let labelY = normalised >= 0 ? y - 3 : py(normalised) + 11
                svg += "<text x=\"\(f(x + barWidth / 2 - 1))\" y=\"\(f(labelY))\" text-anchor=\"middle\">\(escape(label(value)))</text>"
            }
        }
        for (index, bar) in series.enumerated() {
            svg += "<text x=\"\(f(left + 8 + Double(index) * 170))\" y=\"\(f(top + 4))\" fill=\"\(palette[index % palette.count])\" font-size=\"11\">\(escape(bar.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Overlaid histograms (outlines) of several samples over common bins.
    public static func histogram(title: String, samples: [(name: String, values: [Double])], bins: Int = 30) -> String {
        let all = samples.flatMap(\.values)
        let low = all.min() ?? 0, high = Swift.max(all.max() ?? 1, low + 1e-9)
        let width = (high - low) / Double(bins)
        let series = samples.enumerated().map { index, sample -> Series in
            var counts = Array(repeating: 0.0, count: bins)
            for value in sample.values { counts[Swift.min(Int((value - low) / width), bins - 1)] += 1 }
            var points: [(x: Double, y: Double)] = []
            for (bin, count) in counts.enumerated() {
                points.append((low + Double(bin) * width, count))
                points.append((low + Double(bin + 1) * width, count))
            }
            return Series(name: sample.name, color: palette[index % palette.count], points: points)
        }
        return lines(title: title, series: series, counts: true)
    }
}
