/// Each pledge of a partnership as a bar: what was pledged (the outline), what the other side
/// confirmed (solid) and what is only claimed so far (striped), side by side for both parties.
/// Bars are drawn as shares of their pledge, since pledges come in hours, money and units.
struct BalanceBars {
    struct Row {
        var side: String
        var label: String
        var pledged: Double
        var confirmed: Double
        var claimed: Double
        var home: Bool
    }

    var id: String
    var title: String
    var rows: [Row]
    var width = 640.0

    static let rowHeight = 34.0, labelWidth = 230.0

    func render() -> String {
        let barWidth = width - Self.labelWidth - 60
        let height = Double(rows.count) * Self.rowHeight + 30
        var svg = SVG.open(id: id, width: width, height: height, title: title,
                           description: "Pledged against confirmed and claimed contributions, as a share of each pledge; the table gives the amounts.",
                           className: "chart balance")
        svg += "<defs><pattern id=\"\(id)-claimed\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"3\" height=\"6\" fill=\"#8c8c8c\"/></pattern></defs>"
        for (index, row) in rows.enumerated() {
            let y = Double(index) * Self.rowHeight + 4
            let scale = row.pledged > 0 ? barWidth / max(row.pledged, row.confirmed + row.claimed) : 0
            let color = row.home ? "#0a4fa3" : "#b55d00"
            svg += "<text x=\"0\" y=\"\(SVG.number(y + 12))\" class=\"side\">\(SVG.escape(row.side))</text>"
            svg += "<text x=\"0\" y=\"\(SVG.number(y + 25))\">\(SVG.escape(HeatMap.shortened(row.label)))</text>"
            let x = Self.labelWidth
            svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(row.pledged * scale))\" height=\"20\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            svg += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(row.confirmed * scale))\" height=\"20\" fill=\"\(color)\"/>"
            svg += "<rect x=\"\(SVG.number(x + row.confirmed * scale))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(row.claimed * scale))\" height=\"20\" fill=\"url(#\(id)-claimed)\"/>"
            let ratio = row.pledged > 0 ? row.confirmed / row.pledged * 100 : 0
            let share = ratio.isFinite ? Int(min(max(ratio, 0), 1e6).rounded()) : 0
            svg += "<text x=\"\(SVG.number(width - 4))\" y=\"\(SVG.number(y + 19))\" text-anchor=\"end\">\(share)%</text>"
        }
        let legendY = height - 8
        svg += "<rect x=\"0\" y=\"\(SVG.number(legendY - 9))\" width=\"12\" height=\"10\" fill=\"#555\"/><text x=\"16\" y=\"\(SVG.number(legendY))\">confirmed by the other side</text>"
        svg += "<rect x=\"190\" y=\"\(SVG.number(legendY - 9))\" width=\"12\" height=\"10\" fill=\"url(#\(id)-claimed)\"/><text x=\"206\" y=\"\(SVG.number(legendY))\">claimed, not yet confirmed</text>"
        svg += "<rect x=\"380\" y=\"\(SVG.number(legendY - 9))\" width=\"12\" height=\"10\" fill=\"none\" stroke=\"#555\"/><text x=\"396\" y=\"\(SVG.number(legendY))\">pledged</text>"
        return svg + "</svg>"
    }
}
