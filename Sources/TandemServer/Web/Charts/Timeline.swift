import TandemCore

/// A person's career: one bar per job across the years, the home company's in blue and the
/// others' in orange, each labelled with the organization and the function.
struct Timeline {
    struct Bar {
        var label: String
        var start: LocalDate
        /// nil: still held.
        var end: LocalDate?
        var home: Bool
        var href: String?
    }

    var id: String
    var title: String
    var bars: [Bar]
    var today: LocalDate
    var width = 640.0

    static let row = 26.0, axis = 22.0

    func render() -> String {
        let first = bars.map(\.start).min() ?? today
        let startYear = first.year, endYear = today.year + 1
        func january(_ year: Int) -> Int { LocalDate(year: year, month: 1, day: 1)?.dayNumber ?? first.dayNumber }
        let origin = january(startYear), span = Double(max(january(endYear) - origin, 1))
        func x(_ day: Int) -> Double { width * Double(day - origin) / span }
        func x(_ date: LocalDate) -> Double { x(date.dayNumber) }
        let height = Double(bars.count) * Self.row + Self.axis + 4
        var svg = SVG.open(id: id, width: width, height: height, title: title,
                           description: "\(bars.count) jobs from \(startYear); the list below gives each with its dates.", className: "chart timeline")
        let step = max(1, (endYear - startYear) / 8)
        for year in stride(from: startYear, through: endYear, by: step) {
            let position = x(january(year))
            svg += "<line x1=\"\(SVG.number(position))\" x2=\"\(SVG.number(position))\" y1=\"0\" y2=\"\(SVG.number(height - Self.axis))\" stroke=\"#e3e3e3\"/>"
            svg += "<text x=\"\(SVG.number(min(position + 2, width - 28)))\" y=\"\(SVG.number(height - 6))\">\(year)</text>"
        }
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * Self.row + 3
            let left = x(bar.start), right = max(x(bar.end ?? today), left + 3)
            let rect = "<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(right - left))\" height=\"\(SVG.number(Self.row - 8))\" rx=\"3\" fill=\"\(bar.home ? "#0a4fa3" : "#b55d00")\"><title>\(SVG.escape("\(bar.label): \(bar.start) – \(bar.end?.description ?? "today")"))</title></rect>"
            svg += bar.href.map { "<a href=\"\(SVG.escape($0))\">\(rect)</a>" } ?? rect
            // the label inside the bar when it fits, else after it
            let inside = right - left > Double(bar.label.count) * 6.2 + 8
            let labelX = inside ? left + 4 : min(right + 4, width - Double(bar.label.count) * 6.2)
            svg += "<text x=\"\(SVG.number(max(labelX, 0)))\" y=\"\(SVG.number(y + Self.row - 13))\"\(inside ? " class=\"on-bar\"" : "")>\(SVG.escape(bar.label))</text>"
        }
        return svg + "</svg>"
    }
}
