import Foundation

/// Lines over a common axis of labelled points (months, quarters, dates): sales and profit, a
/// relationship's strength over time, a goal's progress. Gaps (nil) break a line.
struct LineChart {
    struct Series {
        var name: String
        var values: [Double?]
        /// A CSS colour; each series also gets its own dash pattern, so colour is not the only cue.
        var color: String
    }

    var id: String
    var title: String
    var description: String
    var labels: [String]
    var series: [Series]
    /// Fixed bounds of the value axis (for strengths 0–100); otherwise from the data, from zero.
    var range: ClosedRange<Double>?
    var width = 640.0, height = 240.0

    static let left = 56.0, right = 12.0, top = 12.0, bottom = 48.0
    static let dashes = ["", "6 3", "2 3", "8 3 2 3"]

    func render() -> String {
        let values = series.flatMap { $0.values.compactMap { $0 } }
        let low = range?.lowerBound ?? min(0, values.min() ?? 0)
        var high = range?.upperBound ?? max(values.max() ?? 1, low + 1)
        if high <= low { high = low + 1 }
        let plotWidth = width - Self.left - Self.right, plotHeight = height - Self.top - Self.bottom
        func x(_ index: Int) -> Double { Self.left + (labels.count <= 1 ? plotWidth / 2 : plotWidth * Double(index) / Double(labels.count - 1)) }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - (value - low) / (high - low)) }
        var svg = SVG.open(id: id, width: width, height: height, title: title, description: description, className: "chart line")
        // the value axis: four steps, with grid lines
        for step in 0...4 {
            let value = low + (high - low) * Double(step) / 4, position = y(value)
            svg += "<line x1=\"\(SVG.number(Self.left))\" x2=\"\(SVG.number(width - Self.right))\" y1=\"\(SVG.number(position))\" y2=\"\(SVG.number(position))\" stroke=\"#e3e3e3\"/>"
            svg += "<text x=\"\(SVG.number(Self.left - 6))\" y=\"\(SVG.number(position + 4))\" text-anchor=\"end\">\(SVG.escape(Self.short(value)))</text>"
        }
        // the labels of the points, thinned to about eight
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        for (index, label) in labels.enumerated() where (index % every == 0 && labels.count - 1 - index >= every) || index == labels.count - 1 {
            let anchor = labels.count > 1 && index == labels.count - 1 ? "end" : index == 0 && labels.count > 1 ? "start" : "middle"
            svg += "<text x=\"\(SVG.number(x(index)))\" y=\"\(SVG.number(height - Self.bottom + 16))\" text-anchor=\"\(anchor)\">\(SVG.escape(label))</text>"
        }
        for (number, line) in series.enumerated() {
            var path = "", drawing = false
            for (index, value) in line.values.enumerated() {
                guard let value, index < labels.count else { drawing = false; continue }
                path += "\(drawing ? "L" : "M")\(SVG.number(x(index))) \(SVG.number(y(value)))"
                drawing = true
            }
            let dash = Self.dashes[number % Self.dashes.count]
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(SVG.escape(line.color))\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            if line.values.compactMap({ $0 }).count == 1, let index = line.values.firstIndex(where: { $0 != nil }), let value = line.values[index] {
                svg += "<circle cx=\"\(SVG.number(x(index)))\" cy=\"\(SVG.number(y(value)))\" r=\"3\" fill=\"\(SVG.escape(line.color))\"/>"
            }
            // the legend, below the axis
            let legendX = Self.left + Double(number) * 150
            svg += "<line x1=\"\(SVG.number(legendX))\" x2=\"\(SVG.number(legendX + 22))\" y1=\"\(SVG.number(height - 10))\" y2=\"\(SVG.number(height - 10))\" stroke=\"\(SVG.escape(line.color))\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            svg += "<text x=\"\(SVG.number(legendX + 26))\" y=\"\(SVG.number(height - 6))\">\(SVG.escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    /// 1.2k, 3.4M: axis labels stay short.
    static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return String(format: "%.1fM", value / 1_000_000) }
        if magnitude >= 10_000 { return String(format: "%.0fk", value / 1_000) }
        if magnitude >= 1_000 { return String(format: "%.1fk", value / 1_000) }
        return magnitude == magnitude.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// A small line without axes, for a table cell: a relationship's strength over the last years.
struct Sparkline {
    var values: [Double]
    var label: String
    var width = 90.0, height = 22.0, maximum = 100.0

    func render() -> String {
        guard values.count > 1 else { return "" }
        let points = values.enumerated().map { index, value in
            "\(SVG.number(width * Double(index) / Double(values.count - 1))),\(SVG.number(height - 2 - (height - 4) * min(max(value, 0), maximum) / maximum))"
        }.joined(separator: " ")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spark\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" role=\"img\" aria-label=\"\(SVG.escape(label))\"><polyline points=\"\(points)\" fill=\"none\" stroke=\"#0a4fa3\" stroke-width=\"1.5\"/></svg>"
    }
}
