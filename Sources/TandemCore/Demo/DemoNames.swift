import Foundation

/// A name as written locally, and its Latin transliteration for e-mail addresses and web domains.
struct DemoName: Sendable {
    let native: String
    let roman: String
}

/// How a culture writes a person's name.
enum DemoNameOrder: Sendable {
    case givenFamily, familyGivenSpaced, familyGivenJoined
}

/// The given and family names of one naming culture.
struct DemoCulture: Sendable {
    let given: [DemoName]
    let family: [DemoName]
    let order: DemoNameOrder

    init(_ given: String, _ family: String, _ order: DemoNameOrder = .givenFamily) {
        self.given = DemoCulture.names(given)
        self.family = DemoCulture.names(family)
        self.order = order
    }

    private static func names(_ list: String) -> [DemoName] {
        list.split(separator: ",").map { entry in
            let name = DemoGeography.splitRoman(String(entry))
            return DemoName(native: name.native, roman: name.roman)
        }
    }
}

enum DemoNames {
    static let cultures: [String: DemoCulture] = [
        "de": DemoCulture("Jürgen,Anna,Lukas,Sophie,Maximilian,Katrin,Jörg,Sabine,Felix,Lena,Björn,Ute,Stefan,Marie,Günther,Jürgen-Peter",
                          "Müller,Schmidt,Schneider,Fischer,Weiß,Schäfer,Becker,Hoffmann,Köhler,Groß,Wagner,Krüger,Lehmann,Brandt,Özdemir,Nowak"),
        "fr": DemoCulture("Élodie,Jean-Luc,Amélie,François,Chloé,Jérôme,Hélène,Mathéo,Camille,Noël,Léa,Gaëtan",
                          "Lefèvre,Dubois,Moreau,Fontaine,Girard,Lemaître,Bérubé,Rousseau,Gauthier,Chevalier,D'Amboise,Lévesque"),
        "es": DemoCulture("José,María,Jesús,Lucía,Íñigo,Begoña,Álvaro,Sofía,Martín,Ximena,Raúl,Guadalupe",
                          "García,Peña,Martínez,Núñez,Fernández,López,Ibáñez,Muñoz,Hernández,Gutiérrez,Sánchez,Domínguez"),
        "pt": DemoCulture("João,Conceição,Gonçalo,Inês,Luís,Beatriz,Tomé,Lúcia,Thiago,Ana Júlia,Caio,Letícia",
                          "Gonçalves,Araújo,Simões,Magalhães,Ferreira,Silva,Brandão,Conceição,Assunção,Falcão,Souza,Lima"),
        "it": DemoCulture("Giuseppe,Francesca,Niccolò,Chiara,Lorenzo,Giulia,Andrea,Federica,Matteo,Alessia",
                          "Rossi,Bianchi,Esposito,D'Angelo,Colombo,Ricci,De Luca,Fabbri,Lombardi,Galli,Marino,D'Amico"),
        "nl": DemoCulture("Daan,Sanne,Joost,Fleur,Pieter,Anouk,Bram,Eline,Thijs,Noë,Maarten,Iris",
                          "de Vries,van den Berg,Jansen,Bakker,van Dijk,Visser,Smits,Peeters,Maes,Claes,de Jong,Willems"),
        "en": DemoCulture("James,Olivia,Siobhán,Liam,Emily,Seán,Grace,Daniel,Chloe,Michael,Aoife,Thomas,Priya,Sipho,Robert,Elizabeth",
                          "Smith,O'Brien,Jones,O'Sullivan,Williams,Taylor,McCarthy,Brown,Wilson,Murphy,O'Neill,Clarke,Nguyen,Naidoo,Okafor,D'Souza"),
        "nordic": DemoCulture("Åsa,Björn,Linnéa,Sören,Märta,Øystein,Ingrid,Mikael,Sigrid,Jukka,Päivi,Anders,Søren,Astrid",
                              "Andersson,Johansson,Ødegård,Lindqvist,Sørensen,Bergström,Hämäläinen,Nyström,Virtanen,Åberg,Kristiansen,Mäkinen"),
        "pl": DemoCulture("Łukasz,Agnieszka,Paweł,Małgorzata,Wojciech,Żaneta,Grzegorz,Katarzyna,Michał,Józefa",
                          "Wójcik,Kowalski,Szymańska,Lewandowski,Wiśniewski,Zieliński,Kamińska,Dąbrowski,Jabłoński,Woźniak"),
        "cz": DemoCulture("Jiří,Zdeňka,Tomáš,Kateřina,Lukáš,Věra,Ondřej,Markéta",
                          "Dvořák,Novák,Černá,Procházka,Kučera,Svobodová,Růžička,Němec"),
        "tr": DemoCulture("Ahmet,Ayşe,Mehmet,Gülşen,İbrahim,Özlem,Çağrı,Şükrü,Emre,Büşra",
                          "Yılmaz,Şahin,Öztürk,Çelik,Aydın,Doğan,Güneş,Kılıç,Arslan,Koç"),
        "el": DemoCulture("Γιώργος|Giorgos,Μαρία|Maria,Νίκος|Nikos,Ελένη|Eleni,Δημήτρης|Dimitris,Κατερίνα|Katerina,Κώστας|Kostas,Σοφία|Sofia",
                          "Παπαδόπουλος|Papadopoulos,Οικονόμου|Oikonomou,Γεωργίου|Georgiou,Νικολάου|Nikolaou,Αλεξίου|Alexiou,Ιωάννου|Ioannou,Βλάχος|Vlachos"),
        "sr": DemoCulture("Милош|Milos,Јелена|Jelena,Никола|Nikola,Ана|Ana,Марко|Marko,Драгана|Dragana,Стефан|Stefan,Милица|Milica",
                          "Петровић|Petrovic,Јовановић|Jovanovic,Николић|Nikolic,Ђорђевић|Djordjevic,Стојановић|Stojanovic,Илић|Ilic,Марковић|Markovic"),
        "ru": DemoCulture("Алексей|Aleksei,Айгуль|Aigul,Ержан|Yerzhan,Наталья|Natalya,Дмитрий|Dmitriy,Сауле|Saule,Асель|Asel,Нурлан|Nurlan",
                          "Иванов|Ivanov,Нурланов|Nurlanov,Ахметова|Akhmetova,Смирнов|Smirnov,Жумабаев|Zhumabayev,Ким|Kim,Сергеева|Sergeyeva"),
        "ar": DemoCulture("محمد|Mohammed,فاطمة|Fatima,أحمد|Ahmed,نورة|Noura,خالد|Khalid,مريم|Maryam,عبدالله|Abdullah,ليلى|Layla",
                          "العتيبي|Al-Otaibi,الحربي|Al-Harbi,المنصوري|Al-Mansouri,الشمري|Al-Shammari,القحطاني|Al-Qahtani,الزهراني|Al-Zahrani"),
        "ar-latn": DemoCulture("Omar,Aisha,Hassan,Mariam,Yousef,Huda,Tariq,Reem",
                               "Al-Farsi,Haddad,Al-Mazrouei,Khoury,Al-Suwaidi,Nasser"),
        "hi": DemoCulture("राहुल|Rahul,प्रिया|Priya,अमित|Amit,सुनीता|Sunita,विकास|Vikas,अनीता|Anita,संजय|Sanjay,पूजा|Pooja",
                          "शर्मा|Sharma,वर्मा|Verma,गुप्ता|Gupta,सिंह|Singh,पटेल|Patel,अग्रवाल|Agarwal,जोशी|Joshi"),
        "hi-latn": DemoCulture("Arjun,Kavya,Rohan,Deepika,Suresh,Lakshmi,Venkat,Ananya",
                               "Iyer,Reddy,Menon,Nair,Kapoor,Mehta,Banerjee"),
        "th": DemoCulture("สมชาย|Somchai,สุดา|Suda,ประเสริฐ|Prasert,วันเพ็ญ|Wanphen,อนุชา|Anucha,มาลี|Malee,ธนพล|Thanaphon,ศิริพร|Siriporn",
                          "ศรีสุข|Srisuk,วงศ์ใหญ่|Wongyai,แก้วมณี|Kaewmanee,บุญมา|Boonma,ทองดี|Thongdee,จันทร์เพ็ญ|Chanpen"),
        "ja": DemoCulture("太郎|Taro,花子|Hanako,健一|Kenichi,美咲|Misaki,翔太|Shota,由美|Yumi,大輔|Daisuke,恵|Megumi,誠|Makoto,さくら|Sakura",
                          "山田|Yamada,佐藤|Sato,鈴木|Suzuki,高橋|Takahashi,田中|Tanaka,渡辺|Watanabe,伊藤|Ito,中村|Nakamura,小林|Kobayashi",
                          .familyGivenSpaced),
        "zh": DemoCulture("伟|Wei,芳|Fang,娜|Na,强|Qiang,静|Jing,磊|Lei,敏|Min,建国|Jianguo,晓明|Xiaoming,丽华|Lihua",
                          "王|Wang,李|Li,张|Zhang,刘|Liu,陈|Chen,杨|Yang,黄|Huang,赵|Zhao,周|Zhou",
                          .familyGivenJoined),
        "ko": DemoCulture("민준|Minjun,서연|Seoyeon,지훈|Jihoon,수빈|Subin,현우|Hyunwoo,지은|Jieun,도윤|Doyun,하은|Haeun",
                          "김|Kim,이|Lee,박|Park,최|Choi,정|Jung,강|Kang,윤|Yoon",
                          .familyGivenJoined),
    ]

    /// English nicknames written in quotes inside a name, so CSV quoting is exercised.
    static let nicknames: [String: String] = ["Robert": "Bob", "Elizabeth": "Liz", "Michael": "Mike", "Thomas": "Tom", "James": "Jim"]

    static func culture(_ code: String) -> DemoCulture {
        cultures[code] ?? cultures["en"] ?? DemoCulture("Alex", "Smith")
    }

    /// A person's display name and the local part of their e-mail address.
    static func person(culture code: String, rng: inout DemoRandom) -> (name: String, mailbox: String) {
        let culture = culture(code)
        let given = rng.pick(culture.given)
        let family = rng.pick(culture.family)
        let mailbox = DemoText.slug(given.roman, separator: "") + "." + DemoText.slug(family.roman, separator: "")
        switch culture.order {
        case .familyGivenSpaced:
            return (family.native + " " + given.native, mailbox)
        case .familyGivenJoined:
            return (family.native + given.native, mailbox)
        case .givenFamily:
            var name = given.native + " " + family.native
            if code == "en" {
                if let nickname = nicknames[given.native], rng.chance(0.3) {
                    name = given.native + " \"" + nickname + "\" " + family.native
                } else if rng.chance(0.04) {
                    name += ", Jr."
                }
            }
            return (name, mailbox)
        }
    }
}

/// ASCII folding for e-mail addresses and web domains.
enum DemoText {
    private static let folds: [Unicode.Scalar: String] = {
        let groups: [(String, String)] = [
            ("àáâãäåāąă", "a"), ("çćč", "c"), ("ďđð", "d"), ("èéêëēęěė", "e"), ("ìíîïīıį", "i"), ("ł", "l"), ("ñńň", "n"),
            ("òóôõöøōő", "o"), ("ŕř", "r"), ("śšşș", "s"), ("ťţț", "t"), ("ùúûüūůű", "u"), ("ýÿ", "y"), ("źżž", "z"),
            ("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ğ", "g"), ("þ", "th"),
        ]
        var map: [Unicode.Scalar: String] = [:]
        for (letters, ascii) in groups {
            for scalar in letters.unicodeScalars { map[scalar] = ascii }
        }
        return map
    }()

    /// Lower-case ASCII letters and digits; every other run of characters becomes `separator`, apostrophes vanish.
    static func slug(_ text: String, separator: String = "-") -> String {
        var result = ""
        var pendingSeparator = false
        for scalar in text.lowercased().unicodeScalars {
            let piece: String?
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                piece = String(scalar)
            } else if let folded = folds[scalar] {
                piece = folded
            } else {
                piece = nil
            }
            if let piece {
                if pendingSeparator && !result.isEmpty { result += separator }
                pendingSeparator = false
                result += piece
            } else if scalar != "'" && scalar.value < 0x300 || scalar == " " {
                pendingSeparator = true
            }
        }
        return result.isEmpty ? "x" : result
    }
}
