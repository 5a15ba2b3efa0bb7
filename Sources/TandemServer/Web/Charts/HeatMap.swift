/// A grid of coloured cells: rows by columns, each cell a value from 0 to 1 (or empty), a
/// tooltip and a link. Used for backbone coverage: counterpart organizations by territory.
struct HeatMap {
    struct Cell {
        /// 0 (nothing live) to 1 (inside and outside sales both covered).
        var value: Double
        var label: String
        var href: String?
    }

    var id: String
    var title: String
    var description: String
    var rows: [(label: String, href: String?)]
    var columns: [String]
    /// `cells[row][column]`; nil where the row has nothing in that column.
    var cells: [[Cell?]]

    static let cell = 22.0, gap = 2.0, rowLabelWidth = 170.0, columnLabelHeight = 70.0

    func render() -> String {
        let width = Self.rowLabelWidth + Double(max(columns.count, 1)) * (Self.cell + Self.gap) + 4
        let height = Self.columnLabelHeight + Double(rows.count) * (Self.cell + Self.gap) + 4
        var svg = SVG.open(id: id, width: width, height: height, title: title, description: description, className: "chart heatmap", naturalSize: true)
        for (index, column) in columns.enumerated() {
            let x = Self.rowLabelWidth + Double(index) * (Self.cell + Self.gap) + Self.cell / 2
            svg += "<text class=\"column\" transform=\"translate(\(SVG.number(x)),\(SVG.number(Self.columnLabelHeight - 6))) rotate(-60)\">\(SVG.escape(column))</text>"
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = Self.columnLabelHeight + Double(rowIndex) * (Self.cell + Self.gap)
            let label = "<text class=\"row\" x=\"\(SVG.number(Self.rowLabelWidth - 6))\" y=\"\(SVG.number(y + Self.cell * 0.7))\">\(SVG.escape(Self.shortened(row.label)))</text>"
            svg += row.href.map { "<a href=\"\(SVG.escape($0))\">\(label)</a>" } ?? label
            for (columnIndex, cell) in cells[rowIndex].enumerated() {
                guard let cell else { continue }
                let x = Self.rowLabelWidth + Double(columnIndex) * (Self.cell + Self.gap)
                let rect = "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(Self.cell))\" height=\"\(SVG.number(Self.cell))\" rx=\"3\" fill=\"\(SVG.scale(cell.value))\"><title>\(SVG.escape(cell.label))</title></rect>"
                svg += cell.href.map { "<a href=\"\(SVG.escape($0))\">\(rect)</a>" } ?? rect
            }
        }
        return svg + "</svg>"
    }

    static func shortened(_ text: String) -> String {
        text.count > 24 ? String(text.prefix(23)) + "…" : text
    }
}
