import Foundation

/// Small, dependency-free SVG charts for the HTML reports: line charts with markers (optionally
/// zoomed to a window, with the whole path as a small overview strip), horizontal grouped bars
/// and histograms. Output is plain SVG text with every number printed at fixed precision, so the
/// same data gives the same bytes.
///
/// Legends sit in their own rows between the title and the plot (wrapped to the plot's width,
/// each entry's width estimated from its text), so they never cover a line or a bar.
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

    /// The whole path under a zoomed chart: its line and the shaded window.
    public struct Overview: Sendable {
        public var series: Series
        public var window: ClosedRange<Double>
        public init(series: Series, window: ClosedRange<Double>) {
            self.series = series
            self.window = window
        }
    }

    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    static let width = 760.0, plotHeight = 230.0
    static let left = 70.0, right = 20.0, bottom = 40.0
    static let titleHeight = 26.0, legendRowHeight = 16.0, overviewHeight = 60.0
    /// Average advance of a character at the legend's 11 px sans-serif, px (a generous estimate,
    /// so estimated entries are never narrower than drawn ones).
    static let characterWidth = 6.6

    static func f(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A short human label for a value (three significant digits, k / M / B).
    public static func label(_ value: Double) -> String { ReportNumber.compact(value) }

    /// An axis tick's label: grouped digits with as many decimals as the tick `step` needs
    /// ("2,076", "0.25"), compact above 100,000 ("1.23M").
    static func axisLabel(_ value: Double, step: Double) -> String {
        guard Swift.abs(value) < 1e5 else { return ReportNumber.compact(value) }
        let decimals = step > 0 ? Swift.min(4, Swift.max(0, 1 - Int(Foundation.floor(Foundation.log10(step))))) : 0
        let text = String(format: "%.\(decimals)f", value)
        return ReportNumber.groupingDecimalText(text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text)
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

    /// Where each legend entry goes: rows of entries laid left to right, a new row when the next
    /// entry would pass the plot's right edge. Returns (entry, x, row) and the number of rows.
    static func legendLayout(_ entries: [(name: String, color: String)]) -> (items: [(name: String, color: String, x: Double, row: Int)], rows: Int) {
        var items: [(name: String, color: String, x: Double, row: Int)] = []
        var x = left, row = 0
        for entry in entries {
            let itemWidth = legendWidth(entry.name)
            if x > left, x + itemWidth > width - right { x = left; row += 1 }
            items.append((entry.name, entry.color, x, row))
            x += itemWidth + 14
        }
        return (items, entries.isEmpty ? 0 : row + 1)
    }

    /// The estimated width of a legend entry: swatch, gap and text.
    static func legendWidth(_ name: String) -> Double { 18 + characterWidth * Double(name.count) }

    /// The plot's top edge below the title and `rows` legend rows.
    static func plotTop(legendRows: Int) -> Double { titleHeight + Double(legendRows) * legendRowHeight + 6 }

    static func header(title: String, legend entries: [(name: String, color: String)], height: Double) -> (svg: String, top: Double) {
        let layout = legendLayout(entries)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        for item in layout.items {
            let y = titleHeight + Double(item.row) * legendRowHeight + 10
            svg += "<rect class=\"legend-swatch\" x=\"\(f(item.x))\" y=\"\(f(y - 5))\" width=\"14\" height=\"4\" fill=\"\(item.color)\"/>"
            svg += "<text class=\"legend\" x=\"\(f(item.x + 18))\" y=\"\(f(y))\" fill=\"\(item.color)\">\(escape(item.name))</text>"
        }
        return (svg, plotTop(legendRows: layout.rows))
    }

    /// The plot box with five horizontal grid lines and their labels, and five time/x labels.
    static func axes(top: Double, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, xLabel: (Double) -> String, yName: String?) -> String {
        var svg = "<rect class=\"plot\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#999\"/>"
        let step = (yRange.upperBound - yRange.lowerBound) / 4
        for tick in 0...4 {
            let fraction = Double(tick) / 4
            let y = top + plotHeight * (1 - fraction)
            let value = yRange.lowerBound + (yRange.upperBound - yRange.lowerBound) * fraction
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(axisLabel(value, step: step)))</text>"
            let x = left + (width - left - right) * fraction
            let xValue = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * fraction
            svg += "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(escape(xLabel(xValue)))</text>"
        }
        if let yName {
            let middle = top + plotHeight / 2
            svg += "<text x=\"12\" y=\"\(f(middle))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(middle)))\">\(escape(yName))</text>"
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

    /// A line chart; `markers` are drawn as circles with area proportional to their weight. With
    /// `window`, only that x range is drawn (points and markers outside it are left out) and
    /// `overview`, when given, adds a strip below with its whole line and the window shaded.
    public static func lines(title: String, series: [Series], markers: [(x: Double, y: Double, weight: Double)] = [],
                             counts: Bool = false, xLabel: (Double) -> String = { label($0) }, yName: String? = nil,
                             window: ClosedRange<Double>? = nil, overview: Overview? = nil) -> String {
        let visible = series.map { line in
            Series(name: line.name, color: line.color, points: thin(window.map { range in line.points.filter { range.contains($0.x) } } ?? line.points))
        }
        let shownMarkers = window.map { range in markers.filter { range.contains($0.x) } } ?? markers
        let xs = visible.flatMap { $0.points.map(\.x) }, ys = visible.flatMap { $0.points.map(\.y) } + shownMarkers.map(\.y)
        let xRange = window ?? range(xs, padded: false), yRange = range(ys, includeZero: counts)
        let height0 = plotTop(legendRows: legendLayout(series.map { ($0.name, $0.color) }).rows) + plotHeight + bottom
        let height = height0 + (overview == nil ? 0 : overviewHeight + 10)
        let (head, top) = header(title: title, legend: series.map { ($0.name, $0.color) }, height: height)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight }
        var svg = head + axes(top: top, xRange: xRange, yRange: yRange, xLabel: xLabel, yName: yName)
        for line in visible where !line.points.isEmpty {
            let d = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.4\" points=\"\(d)\"/>"
        }
        svg += circles(shownMarkers, px: px, py: py)
        if let overview { svg += strip(overview, top: top + plotHeight + 24, xLabel: xLabel) }
        return svg + "</svg>"
    }

    /// Markers closer than 3 px (x) and 6 px (y) are merged: weights add, position is the
    /// weight-averaged one. Keeps the file small on a crash with thousands of liquidations.
    static func circles(_ markers: [(x: Double, y: Double, weight: Double)], px: (Double) -> Double, py: (Double) -> Double) -> String {
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
        var svg = ""
        for marker in circles {
            let radius = 1.5 + 6 * (marker.weight / Swift.max(heaviest, 1e-12)).squareRoot()
            svg += "<circle cx=\"\(f(px(marker.x)))\" cy=\"\(f(py(marker.y)))\" r=\"\(f(radius))\" fill=\"#d62728\" fill-opacity=\"0.35\"/>"
        }
        return svg
    }

    /// The overview strip: the whole line, small, with the zoomed window shaded and the path's
    /// first and last times.
    static func strip(_ overview: Overview, top: Double, xLabel: (Double) -> String) -> String {
        let points = thin(overview.series.points, limit: 400)
        let xRange = range(points.map(\.x), padded: false), yRange = range(points.map(\.y))
        let height = overviewHeight - 16
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * height }
        let windowLeft = px(Swift.max(overview.window.lowerBound, xRange.lowerBound))
        let windowRight = px(Swift.min(overview.window.upperBound, xRange.upperBound))
        var svg = "<g class=\"overview\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width - left - right))\" height=\"\(f(height))\" fill=\"none\" stroke=\"#ccc\"/>"
        svg += "<rect class=\"overview-window\" x=\"\(f(windowLeft))\" y=\"\(f(top))\" width=\"\(f(Swift.max(windowRight - windowLeft, 1)))\" height=\"\(f(height))\" fill=\"#1f77b4\" fill-opacity=\"0.12\"/>"
        svg += "<polyline fill=\"none\" stroke=\"\(overview.series.color)\" stroke-width=\"1\" points=\"\(points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " "))\"/>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(top + height / 2 + 4))\" text-anchor=\"end\" fill=\"#666\">whole path</text>"
        svg += "<text x=\"\(f(left))\" y=\"\(f(top + height + 12))\" fill=\"#666\">\(escape(xLabel(xRange.lowerBound)))</text>"
        svg += "<text x=\"\(f(width - right))\" y=\"\(f(top + height + 12))\" text-anchor=\"end\" fill=\"#666\">\(escape(xLabel(xRange.upperBound)))</text>"
        return svg + "</g>"
    }

    /// Horizontal grouped bars: one group per category (a row of bars, one per series, labelled
    /// with its value at the bar's end), each category scaled to its own largest magnitude
    /// (categories differ by orders of magnitude). Negative values extend left of the zero line,
    /// which sits a quarter in when any value is negative.
    public static func bars(title: String, categories: [String], series: [(name: String, values: [Double])]) -> String {
        let barHeight = 11.0, groupGap = 12.0, labelWidth = 150.0, valueRoom = 56.0
        let entries = series.enumerated().map { (name: $1.name, color: palette[$0 % palette.count]) }
        let groupHeight = Double(Swift.max(series.count, 1)) * barHeight + groupGap
        let plotTop = plotTop(legendRows: legendLayout(entries).rows)
        let height = plotTop + Double(categories.count) * groupHeight + 10
        let (head, top) = header(title: title, legend: entries, height: height)
        let anyNegative = series.contains { $0.values.contains { $0 < 0 } }
        let plotLeft = left + labelWidth, plotRight = width - right - valueRoom
        let zero = anyNegative ? plotLeft + (plotRight - plotLeft) * 0.25 : plotLeft
        var svg = head + "<line x1=\"\(f(zero))\" x2=\"\(f(zero))\" y1=\"\(f(top))\" y2=\"\(f(height - 10))\" stroke=\"#999\"/>"
        for (group, category) in categories.enumerated() {
            let y0 = top + Double(group) * groupHeight
            let values = series.map { group < $0.values.count ? $0.values[group] : 0 }
            let positive = values.map { Swift.max($0, 0) }.max() ?? 0, negative = values.map { Swift.max(-$0, 0) }.max() ?? 0
            // px per unit: the longer side decides, so the largest bar of the category fills its side.
            let scale = Swift.min(positive > 0 ? (plotRight - zero) / positive : .infinity, negative > 0 ? (zero - plotLeft) / negative : .infinity)
            svg += "<text x=\"\(f(left))\" y=\"\(f(y0 + Double(series.count) * barHeight / 2 + 4))\">\(escape(category))</text>"
            for (index, bar) in series.enumerated() {
                let value = values[index]
                let length = scale.isFinite ? Swift.abs(value) * scale : 0
                let x = value < 0 ? zero - length : zero, y = y0 + Double(index) * barHeight
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(Swift.max(length, 0.5)))\" height=\"\(f(barHeight - 2))\" fill=\"\(palette[index % palette.count])\"><title>\(escape(bar.name)): \(escape(label(value)))</title></rect>"
                let labelX = value < 0 ? x - 3 : x + length + 3
                svg += "<text x=\"\(f(labelX))\" y=\"\(f(y + barHeight - 3))\" font-size=\"10\"\(value < 0 ? " text-anchor=\"end\"" : "")>\(escape(label(value)))</text>"
            }
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
        return lines(title: title, series: series, counts: true, yName: "paths")
    }
}
