import Foundation

extension DemoWorld {
    /// Territories, organizations, branches and seats (positions); people come with careers.
    func buildDirectory(_ rng: inout DemoRandom) {
        let tree = DemoGeography.territories()
        territories = tree.all
        leavesByCountry = tree.leaves
        let germany = countryIndex("DE")
        orgs.append(DemoOrg(key: "home", name: "Kessler & Söhne Schaltertechnik GmbH", kind: "manufacturer", country: germany,
                            currency: "EUR", domain: "kessler-soehne.de", profile: .home))
        addDistributors(&rng)
        addOtherOrganizations()
        addHomeStructure()
    }

    func countryIndex(_ code: String) -> Int { countries.firstIndex { $0.code == code } ?? 0 }

    func leaf(_ code: String) -> Int { territories.firstIndex { $0.code == code } ?? 0 }

    private func distributorCountries(_ rng: inout DemoRandom) -> [Int] {
        let n = parameters.distributors
        var first = n <= DemoGeography.diverseCore.count
            ? DemoGeography.diverseCore.map(countryIndex)
            : Array(countries.indices)
        rng.shuffle(&first)
        var result = Array(first.prefix(n))
        let weights = countries.map(\.weight)
        while result.count < n { result.append(rng.weighted(weights)) }
        return result
    }

    private func addDistributors(_ rng: inout DemoRandom) {
        var usedNames = Set<String>()
        for (number, country) in distributorCountries(&rng).enumerated() {
            let culture = rng.pick(countries[country].cultures)
            let leaves = leavesByCountry[country]
            let hq = rng.pick(leaves)
            let city = DemoName(native: territories[hq].name, roman: territories[hq].roman)
            var named = DemoOrgNames.distributor(culture: culture, city: city, country: countries[country], rng: &rng)
            var attempt = 0
            while usedNames.contains(named.name) && attempt < 4 {
                named = DemoOrgNames.distributor(culture: culture, city: city, country: countries[country], rng: &rng)
                attempt += 1
            }
            if usedNames.contains(named.name) { named.name += " (" + city.native + ")" }
            if usedNames.contains(named.name) { named.name += " " + String(number + 1) }
            usedNames.insert(named.name)
            let key = "d" + DemoDay.pad(number + 1, 4)
            let org = orgs.count
            orgs.append(DemoOrg(key: key, name: named.name, kind: "distributor", country: country,
                                currency: countries[country].currency, domain: named.domain, profile: .ordinary))
            distributors.append(org)
            let branchCount = 2 + rng.weighted([20, 20, 18, 14, 12, 9, 7])
            var places = [hq]
            let region = territories[hq].parent
            let neighbours = DemoGeography.neighbours[countries[country].code] ?? []
            for index in 1..<branchCount {
                if index == branchCount - 1, branchCount >= 5, !neighbours.isEmpty, rng.chance(0.25) {
                    places.append(rng.pick(leavesByCountry[countryIndex(rng.pick(neighbours))]))
                } else if rng.chance(0.6) {
                    places.append(rng.pick(leaves.filter { territories[$0].parent == region }))
                } else {
                    places.append(rng.pick(leaves))
                }
            }
            var seen: [Int: Int] = [:]
            for (index, place) in places.enumerated() {
                seen[place, default: 0] += 1
                let name = territories[place].name + (seen[place] == 1 ? "" : " " + String(seen[place] ?? 1))
                let branch = addBranch(org: org, key: key + "-b" + DemoDay.pad(index + 1, 2), name: name, territory: place)
                addDistributorSeats(branch: branch, headquarters: index == 0, rng: &rng)
            }
        }
    }

    @discardableResult
    func addBranch(org: Int, key: String, name: String, territory: Int, city: String? = nil) -> Int {
        let index = branches.count
        branches.append(DemoBranch(key: key, org: org, name: name, city: city ?? territories[territory].name, territory: territory,
                                   country: territories[territory].country))
        orgs[org].branches.append(index)
        return index
    }

    @discardableResult
    func addSeat(branch: Int, function: DemoFunction, title: String? = nil) -> Int {
        let org = branches[branch].org
        let index = seats.count
        seats.append(DemoSeat(org: org, branch: branch, function: function, home: org == homeIndex, fixedTitle: title))
        branches[branch].seats.append(index)
        return index
    }

    private func addDistributorSeats(branch: Int, headquarters: Bool, rng: inout DemoRandom) {
        let count = 2 + rng.weighted([25, 35, 22, 12, 6])
        addSeat(branch: branch, function: .insideSales)
        addSeat(branch: branch, function: .outsideSales)
        let extras: [DemoFunction] = [.insideSales, .outsideSales, .salesManagement, .purchasing, .marketing, .other]
        for _ in 2..<count {
            addSeat(branch: branch, function: extras[rng.weighted([25, 25, 20, 15, 5, 10])])
        }
        if headquarters { addSeat(branch: branch, function: .executive) }
    }

    private func addOtherOrganizations() {
        let specs: [(key: String, name: String, kind: String, country: String, domain: String, profile: DemoProfile, places: [String])] = [
            ("mfr01", "Lumentra Lighting Ltd (O'Connell Group)", "manufacturer", "GB", "lumentra.co.uk", .manufacturer, ["GB-MID-BHX"]),
            ("mfr02", "Nordkabel AB", "manufacturer", "SE", "nordkabel.se", .manufacturer, ["SE-M-STO"]),
            ("rep01", "Lone Star Electrical Sales, Inc.", "rep_agency", "US", "lonestar-es.com", .repAgency, ["US-S-DFW", "US-S-HOU"]),
            ("bg01", "Elektro-Einkaufsring \"Süd\" eG", "buying_group", "DE", "eer-sued.de", .buyingGroup, ["DE-S-STR"]),
        ]
        for spec in specs {
            let country = countryIndex(spec.country)
            let org = orgs.count
            orgs.append(DemoOrg(key: spec.key, name: spec.name, kind: spec.kind, country: country,
                                currency: countries[country].currency, domain: spec.domain, profile: spec.profile))
            for (index, code) in spec.places.enumerated() {
                let territory = leaf(code)
                let branch = addBranch(org: org, key: spec.key + "-b" + DemoDay.pad(index + 1, 2), name: territories[territory].name, territory: territory)
                switch spec.profile {
                case .manufacturer:
                    addSeat(branch: branch, function: .executive, title: "Managing Director")
                    addSeat(branch: branch, function: .outsideSales)
                    addSeat(branch: branch, function: .marketing)
                    manufacturers.append(org)
                case .repAgency:
                    if index == 0 { addSeat(branch: branch, function: .executive, title: "Principal") }
                    addSeat(branch: branch, function: .outsideSales)
                    addSeat(branch: branch, function: .insideSales)
                    if index == 0 { addSeat(branch: branch, function: .outsideSales) }
                    repAgency = org
                default:
                    addSeat(branch: branch, function: .executive, title: "Geschäftsführer")
                    addSeat(branch: branch, function: .marketing, title: "Leiterin Marketing & Verbandsarbeit")
                    buyingGroup = org
                }
            }
        }
    }

    /// Home offices per country, the home sales force sized to the branches it covers, and each
    /// counterpart branch's home outside rep, inside rep and manager.
    private func addHomeStructure() {
        var covered: [Int: [Int]] = [:]
        for (index, branch) in branches.enumerated() where branch.org != homeIndex {
            let profile = orgs[branch.org].profile
            guard orgs[branch.org].isDistributor || profile == .repAgency || profile == .buyingGroup else { continue }
            covered[branch.country, default: []].append(index)
        }
        let us = countryIndex("US")
        if covered[us] == nil { covered[us] = [] }
        let germany = countryIndex("DE")
        let hq = addBranch(org: homeIndex, key: "home-b01", name: "Lüdenscheid (Zentrale)", territory: leaf("DE-W-DTM"),
                           city: "Lüdenscheid")
        homeOffices[germany] = hq
        homeExecutives = [
            addSeat(branch: hq, function: .executive, title: "Chief Executive Officer"),
            addSeat(branch: hq, function: .executive, title: "Chief Sales Officer"),
            addSeat(branch: hq, function: .executive, title: "VP Channel Partnerships"),
            addSeat(branch: hq, function: .executive, title: "Chief Financial Officer"),
        ]
        addSeat(branch: hq, function: .marketing, title: "Head of Channel Marketing")
        for country in covered.keys.sorted() {
            let list = covered[country, default: []].sorted { (branches[$0].territory, $0) < (branches[$1].territory, $1) }
            let office: Int
            if let existing = homeOffices[country] {
                office = existing
            } else {
                let place = leavesByCountry[country][0]
                office = addBranch(org: homeIndex, key: "home-b" + DemoDay.pad(branches.filter { $0.org == homeIndex }.count + 1, 2),
                                   name: "Kessler & Söhne " + territories[place].name, territory: place)
                homeOffices[country] = office
            }
            let b = list.count
            let managers = (0..<(1 + b / 80)).map { _ in addSeat(branch: office, function: .salesManagement) }
            let outside = (0..<max(1, (b + 7) / 8)).map { _ in addSeat(branch: office, function: .outsideSales) }
            let inside = (0..<max(1, (b + 15) / 16)).map { _ in addSeat(branch: office, function: .insideSales) }
            for (position, branch) in list.enumerated() {
                branches[branch].homeOutside = outside[position * outside.count / max(1, b)]
                branches[branch].homeInside = inside[position * inside.count / max(1, b)]
                branches[branch].homeManager = managers[position * managers.count / max(1, b)]
            }
        }
    }
}
