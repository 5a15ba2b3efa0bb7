import Foundation

extension DemoWorld {
    /// territories.csv, organizations.csv, branches.csv, people.csv and employments.csv.
    func writeDirectory(into directory: URL, counts: inout [String: Int]) throws {
        let territoryTable = try DemoTable("territories.csv", in: directory, header: DemoColumns.territories)
        for territory in territories {
            try territoryTable.write([territory.code, territory.name, territory.parent, countries[territory.country].code])
        }
        try territoryTable.close(into: &counts)

        let organizations = try DemoTable("organizations.csv", in: directory, header: DemoColumns.organizations)
        for (index, org) in orgs.enumerated() {
            try organizations.write([org.key, org.name, org.kind, countries[org.country].code, org.currency, index == homeIndex ? "true" : nil])
        }
        try organizations.close(into: &counts)

        let branchTable = try DemoTable("branches.csv", in: directory, header: DemoColumns.branches)
        for branch in branches {
            try branchTable.write([branch.key, orgs[branch.org].key, branch.name, branch.city, countries[branch.country].code,
                                   territories[branch.territory].code])
        }
        try branchTable.close(into: &counts)

        let peopleTable = try DemoTable("people.csv", in: directory, header: DemoColumns.people)
        for person in people {
            try peopleTable.write([person.key, person.name, person.email, person.phone, countries[person.country].code])
        }
        try peopleTable.close(into: &counts)

        let employments = try DemoTable("employments.csv", in: directory, header: DemoColumns.employments)
        for (index, person) in people.enumerated() {
            for span in spans[index] {
                let seat = seats[Int(span.seat)]
                try employments.write([person.key, orgs[seat.org].key, branches[seat.branch].key, seat.function.csv, span.title,
                                       calendar.date(span.start), span.end == DemoDay.open ? nil : calendar.date(span.end)])
            }
        }
        try employments.close(into: &counts)
    }
}
