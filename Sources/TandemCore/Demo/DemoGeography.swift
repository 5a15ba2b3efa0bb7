import Foundation

/// One country of the demo world: its currency, time zone, naming cultures and territory tree.
struct DemoCountry: Sendable {
    let code: String
    let name: String
    let currency: String
    let calling: String
    let tld: String
    let offset: Int
    let dst: DemoDST
    /// Naming cultures of the people and companies, drawn uniformly (repeat one to weight it).
    let cultures: [String]
    /// Relative number of distributors in the country.
    let weight: Double
    /// Local currency units per euro, for plausible amounts.
    let perEuro: Double
    /// Regions as `CODE:Name:TER=City,…;…`; non-Latin names carry `|romanisation`, and a city may
    /// carry its own UTC offset in minutes (`@-480`, with `!` when it has no daylight saving).
    let regions: String

    var friSatWeekend: Bool { code == "SA" }
    var zeroDecimal: Bool { currency == "JPY" || currency == "KRW" }
}

/// A node of the territory tree: a country, a region or a territory (a city and its surroundings).
struct DemoTerritory {
    let code: String
    let name: String
    let roman: String
    let parent: String?
    let country: Int
    let offset: Int
    let dst: DemoDST
}

enum DemoGeography {
    static let countries: [DemoCountry] = [
        DemoCountry(code: "DE", name: "Deutschland", currency: "EUR", calling: "49", tld: "de", offset: 60, dst: .europe, cultures: ["de"], weight: 10, perEuro: 1,
                    regions: "S:Süd:MUC=München,STR=Stuttgart,NUE=Nürnberg;N:Nord:HAM=Hamburg,HAJ=Hannover,BRE=Bremen;W:West:CGN=Köln,DUS=Düsseldorf,DTM=Dortmund;O:Ost:BER=Berlin,LEJ=Leipzig,DRS=Dresden"),
        DemoCountry(code: "AT", name: "Österreich", currency: "EUR", calling: "43", tld: "at", offset: 60, dst: .europe, cultures: ["de"], weight: 2, perEuro: 1,
                    regions: "O:Ost:VIE=Wien,GRZ=Graz;W:West:SZG=Salzburg,INN=Innsbruck,LNZ=Linz"),
        DemoCountry(code: "CH", name: "Schweiz / Suisse", currency: "CHF", calling: "41", tld: "ch", offset: 60, dst: .europe, cultures: ["de", "de", "fr"], weight: 2, perEuro: 0.95,
                    regions: "D:Deutschschweiz:ZRH=Zürich,BSL=Basel,BRN=Bern;R:Romandie:GVA=Genève,LSN=Lausanne"),
        DemoCountry(code: "FR", name: "France", currency: "EUR", calling: "33", tld: "fr", offset: 60, dst: .europe, cultures: ["fr"], weight: 7, perEuro: 1,
                    regions: "IDF:Île-de-France:PAR=Paris,VRS=Versailles;SE:Sud-Est:LYS=Lyon,MRS=Marseille,NCE=Nice;O:Ouest:NTE=Nantes,REN=Rennes,BOD=Bordeaux;N:Nord-Est:LIL=Lille,SXB=Strasbourg"),
        DemoCountry(code: "ES", name: "España", currency: "EUR", calling: "34", tld: "es", offset: 60, dst: .europe, cultures: ["es"], weight: 5, perEuro: 1,
                    regions: "C:Centro:MAD=Madrid,VLL=Valladolid;E:Este:BCN=Barcelona,VLC=València,PMI=Palma;S:Sur:SVQ=Sevilla,AGP=Málaga"),
        DemoCountry(code: "PT", name: "Portugal", currency: "EUR", calling: "351", tld: "pt", offset: 0, dst: .europe, cultures: ["pt"], weight: 2, perEuro: 1,
                    regions: "N:Norte:OPO=Porto,BRG=Braga;S:Sul:LIS=Lisboa,FAO=Faro"),
        DemoCountry(code: "IT", name: "Italia", currency: "EUR", calling: "39", tld: "it", offset: 60, dst: .europe, cultures: ["it"], weight: 6, perEuro: 1,
                    regions: "N:Nord:MIL=Milano,TRN=Torino,VCE=Venezia,BLQ=Bologna;C:Centro:ROM=Roma,FLR=Firenze;S:Sud:NAP=Napoli,PMO=Palermo"),
        DemoCountry(code: "NL", name: "Nederland", currency: "EUR", calling: "31", tld: "nl", offset: 60, dst: .europe, cultures: ["nl"], weight: 3, perEuro: 1,
                    regions: "W:West:AMS=Amsterdam,RTM=Rotterdam,DHG=Den Haag;Z:Zuid:EIN=Eindhoven,MST=Maastricht"),
        DemoCountry(code: "BE", name: "België / Belgique", currency: "EUR", calling: "32", tld: "be", offset: 60, dst: .europe, cultures: ["nl", "fr"], weight: 2, perEuro: 1,
                    regions: "VL:Vlaanderen:ANR=Antwerpen,GNE=Gent;WA:Wallonie:LGG=Liège,CRL=Charleroi;BRU:Bruxelles-Capitale:BRU=Bruxelles"),
        DemoCountry(code: "GB", name: "United Kingdom", currency: "GBP", calling: "44", tld: "co.uk", offset: 0, dst: .europe, cultures: ["en"], weight: 7, perEuro: 0.85,
                    regions: "SE:South East:LON=London,BRI=Brighton;MID:Midlands:BHX=Birmingham,NOT=Nottingham;N:North:MAN=Manchester,LDS=Leeds,NCL=Newcastle upon Tyne;SCO:Scotland:GLA=Glasgow,EDI=Edinburgh"),
        DemoCountry(code: "IE", name: "Éire / Ireland", currency: "EUR", calling: "353", tld: "ie", offset: 0, dst: .europe, cultures: ["en"], weight: 1, perEuro: 1,
                    regions: "L:Leinster:DUB=Dublin,KIK=Kilkenny;M:Munster:ORK=Cork,LMK=Limerick"),
        DemoCountry(code: "SE", name: "Sverige", currency: "SEK", calling: "46", tld: "se", offset: 60, dst: .europe, cultures: ["nordic"], weight: 2, perEuro: 11.4,
                    regions: "S:Syd:MMA=Malmö,GOT=Göteborg;M:Mitt:STO=Stockholm,UPP=Uppsala;N:Norr:UME=Umeå,LLA=Luleå"),
        DemoCountry(code: "NO", name: "Norge", currency: "NOK", calling: "47", tld: "no", offset: 60, dst: .europe, cultures: ["nordic"], weight: 1, perEuro: 11.6,
                    regions: "O:Østlandet:OSL=Oslo,DRM=Drammen;V:Vestlandet:BGO=Bergen,SVG=Stavanger;T:Trøndelag:TRD=Trondheim"),
        DemoCountry(code: "DK", name: "Danmark", currency: "DKK", calling: "45", tld: "dk", offset: 60, dst: .europe, cultures: ["nordic"], weight: 1, perEuro: 7.46,
                    regions: "H:Hovedstaden:CPH=København;J:Jylland og Fyn:AAR=Aarhus,AAL=Aalborg,ODE=Odense"),
        DemoCountry(code: "FI", name: "Suomi", currency: "EUR", calling: "358", tld: "fi", offset: 120, dst: .europe, cultures: ["nordic"], weight: 1, perEuro: 1,
                    regions: "U:Uusimaa:HEL=Helsinki,ESP=Espoo;L:Länsi-Suomi:TMP=Tampere,TKU=Turku;P:Pohjois-Suomi:OUL=Oulu"),
        DemoCountry(code: "PL", name: "Polska", currency: "PLN", calling: "48", tld: "pl", offset: 60, dst: .europe, cultures: ["pl"], weight: 3, perEuro: 4.3,
                    regions: "C:Centrum:WAW=Warszawa,LCJ=Łódź;S:Południe:KRK=Kraków,KTW=Katowice,WRO=Wrocław;N:Północ:GDN=Gdańsk,POZ=Poznań"),
        DemoCountry(code: "CZ", name: "Česko", currency: "CZK", calling: "420", tld: "cz", offset: 60, dst: .europe, cultures: ["cz"], weight: 1, perEuro: 25,
                    regions: "B:Čechy:PRG=Praha,PLZ=Plzeň;M:Morava:BRQ=Brno,OSR=Ostrava"),
        DemoCountry(code: "GR", name: "Ελλάδα", currency: "EUR", calling: "30", tld: "gr", offset: 120, dst: .europe, cultures: ["el"], weight: 1, perEuro: 1,
                    regions: "A:Αττική|Attiki:ATH=Αθήνα|Athina,PIR=Πειραιάς|Peiraias;M:Μακεδονία|Makedonia:SKG=Θεσσαλονίκη|Thessaloniki;K:Κρήτη|Kriti:HER=Ηράκλειο|Irakleio"),
        DemoCountry(code: "RS", name: "Србија", currency: "RSD", calling: "381", tld: "rs", offset: 60, dst: .europe, cultures: ["sr"], weight: 1, perEuro: 117,
                    regions: "B:Београд|Beograd:BEG=Београд|Beograd;V:Војводина|Vojvodina:NSD=Нови Сад|Novi Sad;S:Шумадија и Југ|Sumadija:KGJ=Крагујевац|Kragujevac,INI=Ниш|Nis"),
        DemoCountry(code: "KZ", name: "Қазақстан", currency: "KZT", calling: "7", tld: "kz", offset: 300, dst: .none, cultures: ["ru"], weight: 1, perEuro: 500,
                    regions: "N:Север|Sever:NQZ=Астана|Astana,KGF=Караганда|Karaganda;S:Юг|Yug:ALA=Алматы|Almaty,CIT=Шымкент|Shymkent"),
        DemoCountry(code: "TR", name: "Türkiye", currency: "TRY", calling: "90", tld: "com.tr", offset: 180, dst: .none, cultures: ["tr"], weight: 3, perEuro: 35,
                    regions: "M:Marmara:IST=İstanbul,BTZ=Bursa;I:İç Anadolu:ANK=Ankara,KYA=Konya;E:Ege ve Akdeniz:IZM=İzmir,AYT=Antalya"),
        DemoCountry(code: "AE", name: "الإمارات العربية المتحدة", currency: "AED", calling: "971", tld: "ae", offset: 240, dst: .none, cultures: ["ar", "ar", "ar-latn"], weight: 2, perEuro: 4.0,
                    regions: "DXB:دبي|Dubai:DXB=دبي|Dubai;AUH:أبوظبي|Abu Dhabi:AUH=أبوظبي|Abu Dhabi,AAN=العين|Al Ain;SHJ:الشارقة|Sharjah:SHJ=الشارقة|Sharjah"),
        DemoCountry(code: "SA", name: "المملكة العربية السعودية", currency: "SAR", calling: "966", tld: "com.sa", offset: 180, dst: .none, cultures: ["ar", "ar", "ar-latn"], weight: 2, perEuro: 4.05,
                    regions: "C:الوسطى|Central:RUH=الرياض|Riyadh;W:الغربية|Western:JED=جدة|Jeddah,MKK=مكة المكرمة|Makkah;E:الشرقية|Eastern:DMM=الدمام|Dammam,KBR=الخبر|Khobar"),
        DemoCountry(code: "IN", name: "भारत", currency: "INR", calling: "91", tld: "in", offset: 330, dst: .none, cultures: ["hi", "hi-latn"], weight: 5, perEuro: 90,
                    regions: "N:उत्तर|North:DEL=नई दिल्ली|New Delhi,LKO=लखनऊ|Lucknow,JAI=जयपुर|Jaipur;W:पश्चिम|West:BOM=मुंबई|Mumbai,PNQ=पुणे|Pune,AMD=अहमदाबाद|Ahmedabad;S:दक्षिण|South:BLR=बेंगलुरु|Bengaluru,MAA=चेन्नई|Chennai,HYD=हैदराबाद|Hyderabad"),
        DemoCountry(code: "TH", name: "ประเทศไทย", currency: "THB", calling: "66", tld: "co.th", offset: 420, dst: .none, cultures: ["th"], weight: 2, perEuro: 39,
                    regions: "C:ภาคกลาง|Central:BKK=กรุงเทพมหานคร|Bangkok,NTB=นนทบุรี|Nonthaburi;N:ภาคเหนือ|North:CNX=เชียงใหม่|Chiang Mai;E:ภาคตะวันออก|East:CBI=ชลบุรี|Chonburi,RYG=ระยอง|Rayong"),
        DemoCountry(code: "JP", name: "日本", currency: "JPY", calling: "81", tld: "co.jp", offset: 540, dst: .none, cultures: ["ja"], weight: 5, perEuro: 160,
                    regions: "KT:関東|Kanto:TYO=東京|Tokyo,YOK=横浜|Yokohama,SAI=さいたま|Saitama;KS:関西|Kansai:OSA=大阪|Osaka,KYO=京都|Kyoto,UKB=神戸|Kobe;CB:中部|Chubu:NGO=名古屋|Nagoya;KY:九州|Kyushu:FUK=福岡|Fukuoka"),
        DemoCountry(code: "CN", name: "中国", currency: "CNY", calling: "86", tld: "cn", offset: 480, dst: .none, cultures: ["zh"], weight: 7, perEuro: 7.8,
                    regions: "E:华东|Huadong:SHA=上海|Shanghai,HGH=杭州|Hangzhou,NKG=南京|Nanjing;S:华南|Huanan:CAN=广州|Guangzhou,SZX=深圳|Shenzhen;N:华北|Huabei:PEK=北京|Beijing,TSN=天津|Tianjin;W:西南|Xinan:CTU=成都|Chengdu,CKG=重庆|Chongqing"),
        DemoCountry(code: "KR", name: "대한민국", currency: "KRW", calling: "82", tld: "co.kr", offset: 540, dst: .none, cultures: ["ko"], weight: 3, perEuro: 1450,
                    regions: "SU:수도권|Sudogwon:SEL=서울|Seoul,ICN=인천|Incheon,SWN=수원|Suwon;YN:영남|Yeongnam:PUS=부산|Busan,TAE=대구|Daegu;HN:호남|Honam:KWJ=광주|Gwangju"),
        DemoCountry(code: "SG", name: "Singapore", currency: "SGD", calling: "65", tld: "sg", offset: 480, dst: .none, cultures: ["en", "zh"], weight: 1, perEuro: 1.45,
                    regions: "C:Central:SGC=Central Area;W:West:JUR=Jurong;E:East:TMP=Tampines"),
        DemoCountry(code: "AU", name: "Australia", currency: "AUD", calling: "61", tld: "com.au", offset: 600, dst: .australia, cultures: ["en"], weight: 3, perEuro: 1.65,
                    regions: "NSW:New South Wales:SYD=Sydney,NTL=Newcastle;VIC:Victoria:MEL=Melbourne,GEX=Geelong;QLD:Queensland:BNE=Brisbane@600!;WA:Western Australia:PER=Perth@480!"),
        DemoCountry(code: "ZA", name: "South Africa", currency: "ZAR", calling: "27", tld: "co.za", offset: 120, dst: .none, cultures: ["en"], weight: 2, perEuro: 20,
                    regions: "GP:Gauteng:JNB=Johannesburg,PRY=Pretoria;WC:Western Cape:CPT=Cape Town;KZN:KwaZulu-Natal:DUR=Durban"),
        DemoCountry(code: "US", name: "United States", currency: "USD", calling: "1", tld: "com", offset: -300, dst: .northAmerica, cultures: ["en"], weight: 10, perEuro: 1.08,
                    regions: "NE:Northeast:NYC=New York,BOS=Boston,PHL=Philadelphia;MW:Midwest:CHI=Chicago@-360,DET=Detroit,MSP=Minneapolis@-360;S:South:ATL=Atlanta,DFW=Dallas@-360,HOU=Houston@-360,MIA=Miami;W:West:LAX=Los Angeles@-480,SFO=San Francisco@-480,SEA=Seattle@-480,PHX=Phoenix@-420!"),
        DemoCountry(code: "CA", name: "Canada", currency: "CAD", calling: "1", tld: "ca", offset: -300, dst: .northAmerica, cultures: ["en", "en", "fr"], weight: 3, perEuro: 1.47,
                    regions: "ON:Ontario:YTO=Toronto,OTT=Ottawa;QC:Québec:YMQ=Montréal,YQB=Québec;BC:British Columbia:YVR=Vancouver@-480;AB:Alberta:YYC=Calgary@-420"),
        DemoCountry(code: "MX", name: "México", currency: "MXN", calling: "52", tld: "com.mx", offset: -360, dst: .none, cultures: ["es"], weight: 3, perEuro: 19,
                    regions: "C:Centro:MEX=Ciudad de México,PUE=Puebla;N:Norte:MTY=Monterrey;O:Occidente:GDL=Guadalajara"),
        DemoCountry(code: "BR", name: "Brasil", currency: "BRL", calling: "55", tld: "com.br", offset: -180, dst: .none, cultures: ["pt"], weight: 4, perEuro: 5.6,
                    regions: "SE:Sudeste:SAO=São Paulo,RIO=Rio de Janeiro,BHZ=Belo Horizonte;S:Sul:POA=Porto Alegre,CWB=Curitiba;NE:Nordeste:REC=Recife,SSA=Salvador"),
    ]

    /// Countries of the first distributors, one per script, so even a small bundle is international.
    static let diverseCore = ["DE", "JP", "US", "GR", "CN", "RS", "AE", "IN", "TH", "KR"]

    /// Where a large distributor is likely to open a branch across the border.
    static let neighbours: [String: [String]] = [
        "DE": ["AT", "CH", "NL", "PL"], "AT": ["DE", "CZ"], "CH": ["DE", "FR"], "FR": ["BE", "CH"], "BE": ["NL", "FR"],
        "NL": ["BE", "DE"], "US": ["CA", "MX"], "CA": ["US"], "SE": ["NO", "DK", "FI"], "NO": ["SE"], "DK": ["SE", "DE"],
        "ES": ["PT"], "PT": ["ES"], "AE": ["SA"], "SA": ["AE"], "PL": ["CZ", "DE"], "CZ": ["PL", "AT"], "GB": ["IE"], "IE": ["GB"],
        "MX": ["US"], "BR": ["MX"], "AU": ["SG"], "SG": ["TH"], "TH": ["SG"], "CN": ["SG"], "KR": ["JP"], "JP": ["KR"],
    ]

    /// Builds the flat territory list (countries, then their regions and territories) and the leaves of each country.
    static func territories() -> (all: [DemoTerritory], leaves: [[Int]]) {
        var all: [DemoTerritory] = []
        var leaves: [[Int]] = []
        for (countryIndex, country) in countries.enumerated() {
            all.append(DemoTerritory(code: country.code, name: country.name, roman: country.code, parent: nil,
                                     country: countryIndex, offset: country.offset, dst: country.dst))
            var countryLeaves: [Int] = []
            for region in country.regions.split(separator: ";") {
                let parts = region.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { continue }
                let regionCode = country.code + "-" + parts[0]
                let regionName = splitRoman(parts[1])
                all.append(DemoTerritory(code: regionCode, name: regionName.native, roman: regionName.roman, parent: country.code,
                                         country: countryIndex, offset: country.offset, dst: country.dst))
                for city in parts[2].split(separator: ",") {
                    let pair = city.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pair.count == 2 else { continue }
                    var spec = pair[1]
                    var offset = country.offset
                    var dst = country.dst
                    if let at = spec.firstIndex(of: "@") {
                        var zone = String(spec[spec.index(after: at)...])
                        spec = String(spec[..<at])
                        if zone.hasSuffix("!") {
                            zone.removeLast()
                            dst = .none
                        }
                        offset = Int(zone) ?? offset
                    }
                    let name = splitRoman(spec)
                    countryLeaves.append(all.count)
                    all.append(DemoTerritory(code: regionCode + "-" + pair[0], name: name.native, roman: name.roman,
                                             parent: regionCode, country: countryIndex, offset: offset, dst: dst))
                }
            }
            leaves.append(countryLeaves)
        }
        return (all, leaves)
    }

    /// `Αθήνα|Athina` → native and romanised; a Latin name is its own romanisation.
    static func splitRoman(_ text: String) -> (native: String, roman: String) {
        if let bar = text.firstIndex(of: "|") {
            return (String(text[..<bar]), String(text[text.index(after: bar)...]))
        }
        return (text, text)
    }
}
