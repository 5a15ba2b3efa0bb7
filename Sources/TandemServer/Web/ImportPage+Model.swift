import Foundation
import Plot
import TandemCore
import TandemWorkspace
import Vapor
import ZIPFoundation

/// Importing from the browser: a bundle (a zip or its CSV files), contacts (.vcf), a calendar
/// (.ics), a point-of-sale report (X12 867 or the NEMRA layout) or another CRM's CSV export, with
/// the same choices as `tandem import`. A preview (dry run) shows what would be created, changed
/// and skipped and changes nothing. The answer is streamed, so a large file shows its progress as
/// the import runs; then what was imported, or every problem with its place, and nothing applied.
enum ImportPage {
    struct Upload: Content {
        var files: [File]?
        var csrf: String?
        var format: String?
        var dryRun: String?
        var from: String?
        var to: String?
        var defaultKind: String?
        var kindRules: String?
        var organizationKind: String?
        var locations: File?
        var products: File?
        var manufacturer: String?
        var currency: String?
        var timeZone: String?
        var mapping: String?

        enum CodingKeys: String, CodingKey {
            case files, csrf, format, from, to, locations, products, manufacturer, currency, mapping
            case timeZone = "time_zone", dryRun = "dry_run", defaultKind = "default_kind", kindRules = "kind_rules", organizationKind = "organization_kind"
        }
    }

    /// The largest upload, and the most a zip may hold once unpacked.
    static let maximumUpload: ByteCount = "256mb"
    static let maximumUnpacked: UInt64 = 2 << 30

    /// What the upload asks for: the kind of file and the choices of a foreign import.
    static func request(_ upload: Upload, files: [File], today: LocalDate) throws -> (format: ImportFormat, options: ImportOptions) {
        var format: ImportFormat
        if let chosen = upload.format?.nonBlank {
            guard let known = ImportFormat(rawValue: chosen) else { throw Abort(.badRequest, reason: "Kind of file: \"\(chosen)\" is not one Tandem reads.") }
            format = known
        } else if files.contains(where: { $0.filename.lowercased().hasSuffix(".zip") }) {
            format = .bundle
        } else if files.count == 1, let file = files.first {
            let name = (file.filename as NSString).lastPathComponent
            let head = Data(buffer: file.data.getSlice(at: file.data.readerIndex, length: min(512, file.data.readableBytes)) ?? ByteBuffer())
            guard let detected = ImportFormat.detect(name: name, isDirectory: false, head: head) else {
                guard name.lowercased().hasSuffix(".csv") else {
                    throw Abort(.unsupportedMediaType, reason: "\(name) is not a kind of file Tandem imports: a bundle (.zip or .csv), contacts (.vcf), a calendar (.ics) or an X12 report.")
                }
                throw Abort(.badRequest, reason: "\(name): choose its kind of file (a CSV report or export cannot be told from its name).")
            }
            format = detected
        } else {
            format = .bundle
        }
        if format != .bundle, files.count != 1 { throw Abort(.badRequest, reason: "Import one \(format.title) file at a time.") }
        var options = ImportOptions(today: today)
        func date(_ text: String?, _ label: String) throws -> LocalDate? {
            guard let text = text?.nonBlank else { return nil }
            guard let date = LocalDate(text) else { throw Abort(.badRequest, reason: "\(label): \(FieldRules.dateMessage).") }
            return date
        }
        options.from = try date(upload.from, "Leave out events before")
        options.through = try date(upload.to, "Leave out events after")
        if let from = options.from, let through = options.through, from > through {
            throw Abort(.badRequest, reason: "Leave out events before \(from) and after \(through): the first day is after the last.")
        }
        if let zone = upload.timeZone?.nonBlank {
            guard let known = TimeZone(identifier: zone.trimmingCharacters(in: .whitespaces)) else {
                throw Abort(.badRequest, reason: "Time zone: \"\(zone)\" is not a time zone such as Europe/Berlin.")
            }
            options.timeZone = known
        }
        if let currency = upload.currency?.nonBlank {
            guard let code = FieldRules.currency(currency) else { throw Abort(.badRequest, reason: "Currency: \(FieldRules.currencyMessage).") }
            options.currency = code
        }
        if let kind = upload.defaultKind?.nonBlank {
            guard let known = InteractionKind(rawValue: kind) else { throw Abort(.badRequest, reason: "Kind of an event: \"\(kind)\" is not an interaction kind.") }
            options.defaultKind = known
        }
        if let kind = upload.organizationKind?.nonBlank {
            guard let known = OrganizationKind(rawValue: kind) else { throw Abort(.badRequest, reason: "Kind of an organization: \"\(kind)\" is not one.") }
            options.organizationKind = known
        }
        if let rules = upload.kindRules?.nonBlank {
            let parsed = KindRule.parseFile(rules.replacingOccurrences(of: "\r\n", with: "\n"), name: "rules")
            if let problem = parsed.problems.first { throw Abort(.badRequest, reason: "Rules, line \(problem.line): \(problem.message).") }
            options.kindRules = parsed.rules
        }
        options.manufacturer = upload.manufacturer?.nonBlank
        if format == .crmCSV {
            guard let text = upload.mapping?.nonBlank else { throw Abort(.badRequest, reason: "A CRM export needs its mapping: which columns hold the name, e-mail, date …") }
            let parsed = CRMMapping.parse(text.components(separatedBy: .newlines), source: "mapping")
            guard let mapping = parsed.mapping else {
                throw Abort(.badRequest, reason: "Mapping: " + parsed.problems.map { ($0.line > 0 ? "line \($0.line): " : "") + ($0.column.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ") + ".")
            }
            options.crmMapping = mapping
        }
        return (format, options)
    }

    static func upload(_ req: Request) async throws -> Response {
        let upload = try req.content.decode(Upload.self)
        guard let csrf = req.csrfToken, upload.csrf == csrf else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        let files = (upload.files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
        guard !files.isEmpty else { throw Abort(.badRequest, reason: "Choose the files to import.") }
        let (format, requested) = try request(upload, files: files, today: req.today)
        var options = requested
        let dryRun = upload.dryRun != nil
        let workspace = try req.workspace, inFlight = req.application.inFlightWork
        let actor = req.principal?.email, address = req.clientAddress, ownWrite = req.ownWriteMark
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var uploaded: URL?
        do {
            if format == .bundle {
                try unpack(files, into: folder)
            } else {
                let file = files[0]
                let target = folder.appendingPathComponent("upload")
                try Data(buffer: file.data).write(to: target)
                uploaded = target
                for (upload, name) in [(upload.locations, "locations.csv"), (upload.products, "products.csv")] {
                    guard let upload, upload.data.readableBytes > 0 else { continue }
                    let url = folder.appendingPathComponent(name)
                    try Data(buffer: upload.data).write(to: url)
                    if name == "locations.csv" { options.locations = url } else { options.products = url }
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let names = files.map(\.filename).joined(separator: ", ")
        let sourceName = (files[0].filename as NSString).lastPathComponent
        let chosen = options, source = uploaded
        // The page around the streamed part: written first and last.
        let frame = Layout.page(req, title: "Import", section: .imports,
                                .h1(.text(dryRun ? "Preview of an import" : "Import")),
                                .p(.class("muted"), .text("From \(names) (\(format.title))")), .raw(marker))
        let html = frame.body.string ?? ""
        let parts = html.components(separatedBy: marker)
        let head = parts.first ?? "", tail = parts.count > 1 ? parts[1] : ""
        let response = Response(status: .ok, headers: frame.headers)
        response.body = .init(managedAsyncStream: { writer in
            // The import runs (and is audited) whether or not the browser stays to watch; the
            // uploaded files are removed once it has finished.
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            let show: @Sendable (ImportProgress) -> Void = { progress in
                let share = progress.fraction.map { " (\(Int(($0 * 100).rounded(.down)))%)" } ?? ""
                continuation.yield("<li>\(SVG.escape(progress.file)): \(progress.rows.formatted()) row\(progress.rows == 1 ? "" : "s")\(progress.finished ? " ✓" : share + "…")</li>")
            }
            var request = ImportRequest(format: format, source: source ?? folder, sourceName: sourceName, options: chosen)
            request.dryRun = dryRun
            request.progress = show
            request.audit = .init(actor: actor, address: address, source: "\(names) (\(format.rawValue), web)")
            let task = Task { () -> Result<ImportOutcome, any Error> in
                defer {
                    continuation.finish()
                    try? FileManager.default.removeItem(at: folder)
                }
                do {
                    let outcome = try await workspace.importFile(request)
                    // The answer began before the import wrote anything: its user's next reads
                    // must show what it wrote all the same.
                    await ownWrite?()
                    return .success(outcome)
                } catch {
                    return .failure(error)
                }
            }
            // A stopping server waits for it even when the browser has gone.
            inFlight.track(task)
            do {
                try await writer.writeBuffer(ByteBuffer(string: head + "<ol class=\"progress\" aria-live=\"polite\">"))
                for await line in lines { try await writer.writeBuffer(ByteBuffer(string: line)) }
            } catch {
                _ = await task.value  // the browser left: the import still finishes
                throw error
            }
            var result = "</ol>"
            switch await task.value {
            case .success(let outcome):
                result += report(outcome, dryRun: dryRun)
            case .failure(let rejected as BundleRejected):
                result += "<div class=\"panel warn\" role=\"alert\"><h2>Nothing was imported: \(rejected.errors.total) problem\(rejected.errors.total == 1 ? "" : "s")</h2><ul class=\"issues\">"
                    + rejected.errors.issues.map { issue in
                        // The folder the upload was unpacked in means nothing to the user.
                        let text = issue.message.hasPrefix("missing: every bundle must have organizations.csv")
                            ? "organizations.csv: missing: every bundle has it; upload it with the other files, or the bundle as one .zip" : issue.description
                        return "<li><code>\(SVG.escape(text))</code></li>"
                    }.joined()
                    + (rejected.errors.omitted > 0 ? "<li>and \(rejected.errors.omitted) more</li>" : "") + "</ul></div>" + warnings(rejected.warnings)
            case .failure(let error):
                req.logger.report(error: error)
                result += "<div class=\"panel warn\" role=\"alert\"><h2>Nothing was imported</h2><p>\(SVG.escape(String(describing: error)))</p></div>"
            }
            try await writer.writeBuffer(ByteBuffer(string: result + "<p><a href=\"/import\">Import another</a> · <a href=\"/\">Dashboard</a></p>" + tail))
        })
        return response
    }

    /// Writes the CSV files of the upload into `folder`, by their base name only; a zip is
    /// unpacked the same way (its folders flattened, anything but CSV files skipped), refusing
    /// more than `maximumUnpacked` bytes in all.
    static func unpack(_ files: [File], into folder: URL) throws {
        var unpacked: UInt64 = 0
        for file in files {
            let name = (file.filename as NSString).lastPathComponent
            if name.lowercased().hasSuffix(".zip") {
                let zipped = folder.appendingPathComponent("upload-\(UUID().uuidString).zip")
                try Data(buffer: file.data).write(to: zipped)
                defer { try? FileManager.default.removeItem(at: zipped) }
                let archive: Archive
                do { archive = try Archive(url: zipped, accessMode: .read) } catch {
                    throw Abort(.badRequest, reason: "\(name) is not a zip file that can be read.")
                }
                for entry in archive where entry.type == .file {
                    let base = (entry.path as NSString).lastPathComponent
                    guard base.lowercased().hasSuffix(".csv"), !base.hasPrefix("."), !entry.path.contains("__MACOSX") else { continue }
                    guard unpacked + entry.uncompressedSize <= maximumUnpacked else { throw Abort(.payloadTooLarge, reason: "\(name) unpacks to more than 2 GiB.") }
                    let target = folder.appendingPathComponent(base)
                    guard !FileManager.default.fileExists(atPath: target.path) else {
                        throw Abort(.badRequest, reason: "\(name) holds \(base) twice; a bundle has each file once.")
                    }
                    // Count the bytes actually inflated (a zip can lie about its sizes) and check the CRC.
                    guard FileManager.default.createFile(atPath: target.path, contents: nil), let handle = FileHandle(forWritingAtPath: target.path) else {
                        throw Abort(.internalServerError, reason: "could not unpack \(base)")
                    }
                    defer { try? handle.close() }
                    var written: UInt64 = 0
                    let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                        written += UInt64(chunk.count)
                        guard unpacked + written <= maximumUnpacked else { throw Abort(.payloadTooLarge, reason: "\(name) unpacks to more than 2 GiB.") }
                        try handle.write(contentsOf: chunk)
                    }
                    unpacked += written
                    guard checksum == entry.checksum else { throw Abort(.badRequest, reason: "\(name) is damaged: \(base) fails its checksum.") }
                }
            } else if name.lowercased().hasSuffix(".csv") {
                guard BundleFile.allCases.contains(where: { $0.fileName == name.lowercased() }) else {
                    throw Abort(.badRequest, reason: "\(name) is not a bundle file (\(BundleFile.allCases.map(\.fileName).joined(separator: ", "))): for a point-of-sale report or a CRM export, choose its kind of file.")
                }
                let target = folder.appendingPathComponent(name)
                guard !FileManager.default.fileExists(atPath: target.path) else {
                    throw Abort(.badRequest, reason: "\(name) was given twice; a bundle has each file once.")
                }
                try Data(buffer: file.data).write(to: target)
            } else {
                throw Abort(.unsupportedMediaType, reason: "\(name) is not part of a bundle: a bundle is a .zip or its .csv files; import a .vcf, .ics or X12 file on its own.")
            }
        }
    }
}

extension String {
    /// The text, or nil when it is empty or only white space (an empty form field).
    var nonBlank: String? { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self }
}
