import Foundation

/// People as dots and their relationships as lines, placed by a force-directed layout computed
/// on the server (Fruchterman and Reingold, 1991): every pair of people pushes apart, every
/// relationship pulls its two people together in proportion to its strength. The layout starts
/// from a circle and runs a fixed number of rounds, so the same people always get the same picture.
struct Network {
    struct Person {
        var key: String
        var name: String
        /// The home company's side (true) or the counterpart's.
        var home: Bool
        var function: String
        var href: String?
    }

    struct Tie {
        var a: Int
        var b: Int
        /// 0 to 100.
        var strength: Double
    }

    var id: String
    var title: String
    var people: [Person]
    var ties: [Tie]
    var width = 640.0, height = 440.0

    static let margin = 30.0, rounds = 300

    /// Where each person goes: inside the drawing, margins kept.
    func layout() -> [(x: Double, y: Double)] {
        let count = people.count
        guard count > 0 else { return [] }
        let innerWidth = width - 2 * Self.margin, innerHeight = height - 2 * Self.margin
        let k = 0.8 * (innerWidth * innerHeight / Double(count)).squareRoot()
        var position = (0..<count).map { index -> (x: Double, y: Double) in
            let angle = 2 * Double.pi * Double(index) / Double(count)
            return (innerWidth / 2 + innerWidth / 3 * cos(angle), innerHeight / 2 + innerHeight / 3 * sin(angle))
        }
        var temperature = innerWidth / 10
        for _ in 0..<Self.rounds {
            var move = Array(repeating: (x: 0.0, y: 0.0), count: count)
            for i in 0..<count {
                for j in (i + 1)..<count {
                    var dx = position[i].x - position[j].x, dy = position[i].y - position[j].y
                    if dx == 0 && dy == 0 { dx = 0.01 * Double(i - j); dy = 0.01 }
                    let distance = max((dx * dx + dy * dy).squareRoot(), 0.01)
                    let force = k * k / distance
                    move[i].x += dx / distance * force; move[i].y += dy / distance * force
                    move[j].x -= dx / distance * force; move[j].y -= dy / distance * force
                }
            }
            for tie in ties where tie.a != tie.b && tie.a < count && tie.b < count {
                let dx = position[tie.a].x - position[tie.b].x, dy = position[tie.a].y - position[tie.b].y
                let distance = max((dx * dx + dy * dy).squareRoot(), 0.01)
                let force = distance * distance / k * (0.3 + tie.strength / 100)
                move[tie.a].x -= dx / distance * force; move[tie.a].y -= dy / distance * force
                move[tie.b].x += dx / distance * force; move[tie.b].y += dy / distance * force
            }
            for i in 0..<count {
                let length = max((move[i].x * move[i].x + move[i].y * move[i].y).squareRoot(), 0.01)
                let step = min(length, temperature)
                position[i].x = min(max(position[i].x + move[i].x / length * step, 0), innerWidth)
                position[i].y = min(max(position[i].y + move[i].y / length * step, 0), innerHeight)
            }
            temperature = max(temperature * 0.985, 0.5)
        }
        return position.map { ($0.x + Self.margin, $0.y + Self.margin) }
    }

    /// Home people in blues, theirs in oranges, darker for outside sales than inside sales.
    static func color(home: Bool, function: String) -> String {
        switch (home, function) {
        case (true, "outside_sales"): "#083b7a"
        case (true, "inside_sales"): "#2f74c7"
        case (true, _): "#7aa7dc"
        case (false, "outside_sales"): "#8a4200"
        case (false, "inside_sales"): "#d9822b"
        case (false, _): "#e8b27a"
        }
    }

    func render() -> String {
        let position = layout()
        var svg = SVG.open(id: id, width: width, height: height + 40, title: title,
                           description: "\(people.count) people and \(ties.count) relationships; the table of relationships on this page says the same.",
                           className: "chart network")
        for tie in ties.sorted(by: { $0.strength < $1.strength }) where tie.a < position.count && tie.b < position.count {
            let from = position[tie.a], to = position[tie.b]
            svg += "<line x1=\"\(SVG.number(from.x))\" y1=\"\(SVG.number(from.y))\" x2=\"\(SVG.number(to.x))\" y2=\"\(SVG.number(to.y))\" "
                + "stroke=\"\(SVG.scale(tie.strength / 60))\" stroke-width=\"\(SVG.number(0.6 + tie.strength / 20))\" stroke-opacity=\"0.75\">"
                + "<title>\(SVG.escape("\(people[tie.a].name) – \(people[tie.b].name): \(Int(tie.strength.rounded()))"))</title></line>"
        }
        for (index, person) in people.enumerated() where index < position.count {
            let point = position[index]
            let dot = "<circle cx=\"\(SVG.number(point.x))\" cy=\"\(SVG.number(point.y))\" r=\"6\" fill=\"\(Self.color(home: person.home, function: person.function))\" stroke=\"#fff\" stroke-width=\"1.5\">"
                + "<title>\(SVG.escape("\(person.name) · \(person.function.replacingOccurrences(of: "_", with: " "))"))</title></circle>"
                + (point.x > width - 130  // near the right edge the name goes to the left of the dot
                   ? "<text x=\"\(SVG.number(point.x - 8))\" y=\"\(SVG.number(point.y + 4))\" class=\"name\" text-anchor=\"end\">\(SVG.escape(HeatMap.shortened(person.name)))</text>"
                   : "<text x=\"\(SVG.number(point.x + 8))\" y=\"\(SVG.number(point.y + 4))\" class=\"name\">\(SVG.escape(HeatMap.shortened(person.name)))</text>")
            svg += person.href.map { "<a href=\"\(SVG.escape($0))\">\(dot)</a>" } ?? dot
        }
        let legend: [(String, String)] = [("ours, outside sales", Self.color(home: true, function: "outside_sales")),
                                          ("ours, inside sales", Self.color(home: true, function: "inside_sales")),
                                          ("theirs, outside sales", Self.color(home: false, function: "outside_sales")),
                                          ("theirs, inside sales", Self.color(home: false, function: "inside_sales")),
                                          ("other functions", Self.color(home: false, function: "other"))]
        for (index, item) in legend.enumerated() {
            let x = 4 + Double(index) * 128
            svg += "<circle cx=\"\(SVG.number(x + 5))\" cy=\"\(SVG.number(height + 24))\" r=\"5\" fill=\"\(item.1)\"/>"
                + "<text x=\"\(SVG.number(x + 14))\" y=\"\(SVG.number(height + 28))\">\(SVG.escape(item.0))</text>"
        }
        return svg + "</svg>"
    }
}
