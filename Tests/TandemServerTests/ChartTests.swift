import Foundation
@testable import TandemServer
import TandemCore
import Testing

/// The server-drawn charts: layouts that hold their laws, and markup that escapes its labels.
@Suite struct ChartTests {
    func network(ties: [Network.Tie], count: Int) -> Network {
        Network(id: "n", title: "t", people: (0..<count).map {
            Network.Person(key: "p\($0)", name: "P \($0)", home: $0 % 2 == 0, function: "outside_sales", href: nil)
        }, ties: ties)
    }

    @Test func theNetworkLayoutIsDeterministicBoundedAndPullsTiesTogether() {
        // given ten people, two of them strongly tied and the rest loosely in a ring
        let ties = [Network.Tie(a: 0, b: 5, strength: 90)] + (1..<9).map { Network.Tie(a: $0, b: $0 + 1, strength: 10) }
        let chart = network(ties: ties, count: 10)
        // when laid out twice
        let first = chart.layout(), second = chart.layout()
        // then the picture is the same, inside the drawing, and the tied pair is closer than the average pair
        #expect(first.map(\.x) == second.map(\.x) && first.map(\.y) == second.map(\.y))
        #expect(first.allSatisfy { $0.x >= Network.margin && $0.x <= chart.width - Network.margin && $0.y >= Network.margin && $0.y <= chart.height - Network.margin })
        func distance(_ a: Int, _ b: Int) -> Double { ((first[a].x - first[b].x) * (first[a].x - first[b].x) + (first[a].y - first[b].y) * (first[a].y - first[b].y)).squareRoot() }
        let pairs = (0..<10).flatMap { a in ((a + 1)..<10).map { (a, $0) } }
        let average = pairs.map { distance($0.0, $0.1) }.reduce(0, +) / Double(pairs.count)
        #expect(distance(0, 5) < average * 0.7, "tied: \(distance(0, 5)), average: \(average)")
        // and no two people on the same spot
        #expect(pairs.allSatisfy { distance($0.0, $0.1) > 5 })
        #expect(network(ties: [], count: 0).layout().isEmpty)
    }

    @Test func lineChartsBreakAtGapsAndMarkALonePoint() {
        let chart = LineChart(id: "c", title: "<t>", description: "d", labels: ["a", "b", "c", "d"],
                              series: [.init(name: "s", values: [1, nil, 3, 4], color: "#000"), .init(name: "one", values: [nil, 2, nil, nil], color: "#111")],
                              range: nil)
        let svg = chart.render()
        #expect(svg.contains("<title id=\"c-title\">&lt;t&gt;</title>"))
        let path = svg.components(separatedBy: "<path d=\"")[1].prefix { $0 != "\"" }
        #expect(path.filter { $0 == "M" }.count == 2, "a gap starts a new line: \(path)")
        #expect(svg.contains("<circle"), "a series with one value is drawn as a dot")
        #expect(Sparkline(values: [5], label: "x").render().isEmpty)
        #expect(LineChart.short(1_234_567) == "1.2M" && LineChart.short(12_345) == "12k" && LineChart.short(12.5) == "12.5")
    }

    @Test func heatMapCellsCarryTheirValueColourLabelAndLink() {
        let map = HeatMap(id: "h", title: "t", description: "d", rows: [("A & B \"<x>\"", "/organizations/a%22")], columns: ["DE", "FR"],
                          cells: [[HeatMap.Cell(value: 1, label: "all \"covered\"", href: "/organizations/a%22"), nil]])
        let svg = map.render()
        #expect(svg.contains("A &amp; B &quot;&lt;x&gt;&quot;") && svg.contains("all &quot;covered&quot;"))
        #expect(svg.components(separatedBy: "<rect").count == 2, "one cell drawn, the empty one left out")
        #expect(svg.contains(SVG.scale(1)) && SVG.scale(0) != SVG.scale(1))
    }
}
