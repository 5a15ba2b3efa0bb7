// libFuzzer entry point for Tandem's parsers of foreign input. scripts/fuzz.sh compiles it with
// TandemCore's sources (one module, so internal parsers are reachable) and
// `-sanitize=fuzzer,address`; TANDEM_FUZZ_TARGET chooses the parser.
import Foundation

private let target = ProcessInfo.processInfo.environment["TANDEM_FUZZ_TARGET"] ?? "vcard"
private let folder: URL = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}()

private let index = WorkspaceIndex(
    people: [.init(key: "hanna", name: "Hanna Vogel", email: "hanna@voltwerk.example"), .init(key: "dirk", name: "Dirk Brandt", email: "dirk@acme.example")],
    organizations: [.init(key: "home", name: "Voltwerk", kind: .manufacturer), .init(key: "acme", name: "Acme", kind: .distributor)],
    branches: [.init(key: "acme-101", organizationKey: "acme", name: "Acme 101")], homeOrganizationKey: "home")

private let options: ImportOptions = {
    var options = ImportOptions(today: LocalDate("2026-11-28")!)
    options.from = LocalDate("2020-01-01")
    options.crmMapping = CRMMapping.parse(["records: contacts", "name: First Name + Last Name", "email: Email", "organization: Company Name"],
                                          source: "fuzz").mapping
    if let fixtures = ProcessInfo.processInfo.environment["TANDEM_FUZZ_FIXTURES"] {
        options.locations = URL(fileURLWithPath: fixtures).appendingPathComponent("pos/locations.csv")
        options.products = URL(fileURLWithPath: fixtures).appendingPathComponent("pos/products.csv")
    }
    return options
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let format: ImportFormat
    switch target {
    case "vcard": format = .vcard
    case "ical": format = .ical
    case "x12": format = .x12
    case "nemra": format = .nemra
    case "crm": format = .crmCSV
    case "bundle":
        let url = folder.appendingPathComponent("interactions.csv")
        try? data.write(to: url)
        var log = IssueLog(limit: 50)
        guard var reader = try? BundleRowReader(file: .interactions, path: url.path, log: &log) else { return 0 }
        while var row = reader.next(log: &log) { _ = InteractionRecord.parse(&row) }
        return 0
    default: fatalError("TANDEM_FUZZ_TARGET: vcard, ical, x12, nemra, crm or bundle")
    }
    let url = folder.appendingPathComponent("input")
    try? data.write(to: url)
    _ = ForeignTranslation.translate(format, file: url, source: "input", options: options, index: index, issueLimit: 50)
    return 0
}
