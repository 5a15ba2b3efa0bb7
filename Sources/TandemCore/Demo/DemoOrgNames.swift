import Foundation

/// Company names and job titles in the languages of the demo world.
enum DemoOrgNames {
    /// Distributor name patterns per culture: `{L}`/`{M}` family names, `{C}` a city; the second
    /// pattern is the romanised web name (`{l}`, `{m}`, `{c}`).
    static let distributorPatterns: [String: [(String, String)]] = [
        "de": [("{L} Elektro GmbH", "{l}-elektro"), ("Elektro {L} GmbH & Co. KG", "elektro-{l}"),
               ("Elektrogroßhandel {C} GmbH", "eg-{c}"), ("\"Elektro-Profi\" {L} GmbH", "elektroprofi-{l}"),
               ("{L}, {M} & Partner Elektrohandel OHG", "{l}-{m}")],
        "fr": [("Ets {L} Électricité SARL", "ets-{l}"), ("Comptoir Électrique de {C}", "ce-{c}"),
               ("L'Électricienne {L}, S.A.S.", "electricienne-{l}"), ("Distribution \"{L}\" Frères", "{l}-freres")],
        "es": [("Suministros Eléctricos {L}, S.L.", "se-{l}"), ("Electro {C} S.A.", "electro-{c}"),
               ("Materiales {L} y {M}, S.A. de C.V.", "{l}-{m}")],
        "pt": [("{L} Materiais Elétricos Ltda.", "{l}-eletricos"), ("Elétrica {C} S.A.", "eletrica-{c}"),
               ("Casa do Eletricista {L}, Lda.", "casa-{l}")],
        "it": [("{L} Materiale Elettrico S.r.l.", "{l}-elettrico"), ("Elettroforniture {C} S.p.A.", "ef-{c}"),
               ("F.lli {L} & C. S.n.c.", "fratelli-{l}")],
        "nl": [("{L} Elektrotechniek B.V.", "{l}-elektro"), ("Elektrogroothandel {C}", "egh-{c}"), ("Technische Unie {C}", "tu-{c}")],
        "en": [("{L} Electrical Supply, Inc.", "{l}-electric"), ("{C} Electric Wholesale Ltd", "{c}-wholesale"),
               ("{L} & Sons Electrical", "{l}-sons"), ("\"Bright Spark\" Electrical Distributors", "brightspark-{c}"),
               ("{L}, {M} & Co. Electrical Wholesalers", "{l}-{m}")],
        "nordic": [("{L} Elgrossist AB", "{l}-el"), ("{C} El & Data A/S", "{c}-el"), ("Sähkötukku {L} Oy", "st-{l}")],
        "pl": [("Hurtownia Elektryczna {L} Sp. z o.o.", "he-{l}"), ("Elektro-{C} S.A.", "elektro-{c}")],
        "cz": [("{L} Elektro s.r.o.", "{l}-elektro"), ("Elektromateriál {C} a.s.", "em-{c}")],
        "tr": [("{L} Elektrik Malzemeleri A.Ş.", "{l}-elektrik"), ("{C} Elektrik Ticaret Ltd. Şti.", "{c}-elektrik")],
        "el": [("{L} Ηλεκτρολογικό Υλικό Α.Ε.", "{l}-ilektrologika"), ("Ηλεκτρική {C} Ο.Ε.", "ilektriki-{c}")],
        "sr": [("Електро {L} д.о.о.", "elektro-{l}"), ("{C} Електроматеријал а.д.", "{c}-em")],
        "ru": [("ТОО «Электро{C}»", "elektro-{c}"), ("{L} Электротехника", "{l}-elektro")],
        "ar": [("شركة {L} للأدوات الكهربائية", "{l}-electrical"), ("مؤسسة {C} للتجهيزات الكهربائية", "{c}-electric")],
        "ar-latn": [("{L} Electrical Trading L.L.C.", "{l}-trading"), ("Al Noor {C} Electrical Supplies", "alnoor-{c}")],
        "hi": [("{L} इलेक्ट्रिकल्स", "{l}-electricals"), ("श्री गणेश इलेक्ट्रिक स्टोर्स, {C}", "shriganesh-{c}")],
        "hi-latn": [("{L} Electricals Pvt. Ltd.", "{l}-electricals"), ("{C} Switchgear & Wires", "{c}-switchgear")],
        "th": [("บริษัท {L} การไฟฟ้า จำกัด", "{l}-electric"), ("หจก. {C}ไฟฟ้า", "{c}-faifa")],
        "ja": [("株式会社{L}電機", "{l}-denki"), ("{C}電材株式会社", "{c}-denzai")],
        "zh": [("{C}{L}氏电气有限公司", "{c}-{l}-electric"), ("{L}记电器贸易有限公司", "{l}-ji")],
        "ko": [("{L}전기상사", "{l}-electric"), ("(주){C}전기", "{c}-jeongi")],
    ]

    /// A distributor's name and web domain.
    static func distributor(culture: String, city: DemoName, country: DemoCountry, rng: inout DemoRandom) -> (name: String, domain: String) {
        let patterns = distributorPatterns[culture] ?? distributorPatterns["en"] ?? [("{L} Electric", "{l}")]
        let pattern = rng.pick(patterns)
        let names = DemoNames.culture(culture)
        let count = names.family.count
        let firstIndex = rng.below(count)
        let first = names.family[firstIndex]
        let second = names.family[(firstIndex + 1 + rng.below(max(1, count - 1))) % count]
        let name = pattern.0.replacingOccurrences(of: "{L}", with: first.native)
            .replacingOccurrences(of: "{M}", with: second.native)
            .replacingOccurrences(of: "{C}", with: city.native)
        let web = pattern.1.replacingOccurrences(of: "{l}", with: DemoText.slug(first.roman))
            .replacingOccurrences(of: "{m}", with: DemoText.slug(second.roman))
            .replacingOccurrences(of: "{c}", with: DemoText.slug(city.roman))
        return (name, web + "." + country.tld)
    }

    static let productLines = ["Switches", "Sockets", "Wiring accessories", "Cable management", "Lighting controls"]

    /// Job titles per function; local titles for a few cultures.
    static func title(function: DemoFunction, culture: String, home: Bool, rng: inout DemoRandom) -> String {
        if home {
            switch function {
            case .insideSales: return rng.pick(["Inside Sales Specialist", "Customer Service Representative", "Sales Support Coordinator"])
            case .outsideSales: return rng.pick(["Area Sales Manager", "Key Account Manager", "Territory Sales Representative"])
            case .salesManagement: return rng.pick(["Country Sales Manager", "Regional Sales Director"])
            case .marketing: return "Channel Marketing Manager"
            case .executive: return "Executive"
            case .purchasing: return "Buyer"
            case .other: return "Specialist"
            }
        }
        if let local = localTitles[culture]?[function], rng.chance(0.6) { return local }
        switch function {
        case .insideSales: return rng.pick(["Inside Sales Representative", "Counter Sales", "Inside Sales, Electrical"])
        case .outsideSales: return rng.pick(["Outside Sales Representative", "Account Manager", "Sales Engineer"])
        case .salesManagement: return rng.pick(["Branch Manager", "Sales Manager", "Regional Manager"])
        case .purchasing: return rng.pick(["Purchasing Manager", "Buyer, Wiring Devices", "Product Manager – Wiring Devices"])
        case .marketing: return rng.pick(["Marketing Coordinator", "Marketing Manager"])
        case .executive: return rng.pick(["Managing Director", "President", "CEO", "Owner"])
        case .other: return rng.pick(["Warehouse Lead", "Logistics", "Accounts Receivable"])
        }
    }

    private static let localTitles: [String: [DemoFunction: String]] = [
        "de": [.insideSales: "Vertriebsinnendienst", .outsideSales: "Außendienstmitarbeiter", .salesManagement: "Niederlassungsleiter",
               .purchasing: "Einkäufer", .executive: "Geschäftsführer"],
        "fr": [.insideSales: "Technico-commercial sédentaire", .outsideSales: "Technico-commercial itinérant", .salesManagement: "Chef d'agence",
               .executive: "Directeur général"],
        "ja": [.insideSales: "内勤営業", .outsideSales: "営業担当", .salesManagement: "営業所長", .executive: "代表取締役"],
        "zh": [.insideSales: "内勤销售", .outsideSales: "销售代表", .salesManagement: "分公司经理", .executive: "总经理"],
        "es": [.insideSales: "Ventas internas", .outsideSales: "Representante de ventas", .salesManagement: "Gerente de sucursal"],
        "ko": [.outsideSales: "영업 담당", .executive: "대표이사"],
        "el": [.outsideSales: "Πωλητής", .salesManagement: "Διευθυντής καταστήματος"],
        "sr": [.outsideSales: "Комерцијалиста", .executive: "Директор"],
    ]
}
