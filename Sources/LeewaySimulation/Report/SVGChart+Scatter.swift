extension SVGChart {
    /// One point of a scatter plot: its position, colour and, when given, a label drawn beside it.
    public struct ScatterPoint: Sendable {
        public var x: Double
        public var y: Double
        public var color: String
        public var label: String?
        public var radius: Double

        public init(x: Double, y: Double, color: String, label: String? = nil, radius: Double = 3) {
            self.x = x
            self.y = y
            self.color = color
            self.label = label
            self.radius = radius
        }
    }

    /// A scatter plot (the tuning frontier): points in the order given, later ones on top, with a
    /// legend of (name, colour) pairs and the two axis names.
    public static func scatter(title: String, points: [ScatterPoint], legend: [(name: String, color: String)],
                               xName: String, yName: String) -> String {
        let xRange = range(points.map(\.x), includeZero: true), yRange = range(points.map(\.y), includeZero: true)
        let height = plotTop(legendRows: legendLayout(legend).rows) + plotHeight + bottom
        let (head, top) = header(title: title, legend: legend, height: height)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
        func py(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight }
        var svg = head + axes(top: top, xRange: xRange, yRange: yRange, xLabel: { axisLabel($0, step: (xRange.upperBound - xRange.lowerBound) / 4) }, yName: yName)
        for point in points {
            svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(f(point.radius))\" fill=\"\(point.color)\" fill-opacity=\"0.75\"/>"
            if let text = point.label {
                svg += "<text x=\"\(f(px(point.x) + point.radius + 3))\" y=\"\(f(py(point.y) + 4))\" fill=\"\(point.color)\">\(escape(text))</text>"
            }
        }
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(escape(xName))</text>"
        return svg + "</svg>"
    }
}
