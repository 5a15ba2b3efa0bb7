import Foundation
import Plot
import TandemCore
import TandemStore
import Vapor
import ZIPFoundation

/// Importing a bundle from the browser: a zip of the bundle or its CSV files. The answer is
/// streamed, so a large file shows its progress (rows done per file) as the import runs; then
/// either what was imported, or every bad row with its place and message, and nothing applied.
enum ImportPage {
    struct Upload: Content {
        var files: [File]?
        var csrf: String?
    }

    /// The largest upload, and the most a zip may hold once unpacked.
    static let maximumUpload: ByteCount = "256mb"
    static let maximumUnpacked: UInt64 = 2 << 30

    static func form(_ req: Request) -> Response {
        Layout.page(req, title: "Import", section: .imports,
            .h1(.text("Import a bundle")),
            .p(.text("Upload the bundle as one .zip, or its CSV files (organizations.csv, people.csv, interactions.csv and the rest, "
                     + "as FORMATS.md describes them and `tandem export` writes them). Rows are added or updated by key; "
                     + "if any row is bad, nothing is applied and every bad row is listed with its file, line and column.")),
            .form(.method(.post), .action("/import"), .enctype(.multipartData),
                .input(.type(.hidden), .name("csrf"), .value(SVG.escape(req.csrfToken ?? ""))),
                .p(.label(.for("files"), .text("Bundle (.zip) or CSV files")), .br(),
                   .input(.id("files"), .name("files[]"), .type(.file), .attribute(named: "multiple", value: "multiple"),
                          .attribute(named: "accept", value: ".zip,.csv,text/csv,application/zip"), .required(true))),
                .p(.button(.type(.submit), .text("Import")))))
    }

    static func upload(_ req: Request) async throws -> Response {
        let upload = try req.content.decode(Upload.self)
        guard let csrf = req.csrfToken, upload.csrf == csrf else { throw Abort(.forbidden, reason: "The form expired: open it again.") }
        let files = (upload.files ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
        guard !files.isEmpty else { throw Abort(.badRequest, reason: "Choose a .zip or the CSV files of a bundle.") }
        let database = req.db, workspace = try req.application.workspaceName, accounts = try req.accounts
        let actor = req.principal?.email, address = req.remoteAddress?.ipAddress
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try unpack(files, into: folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let names = files.map(\.filename).joined(separator: ", ")
        // The page around the streamed part: written first and last.
        let frame = Layout.page(req, title: "Import", section: .imports,
                                .h1(.text("Import")), .p(.class("muted"), .text("From \(names)")), .raw(marker))
        let html = frame.body.string ?? ""
        let parts = html.components(separatedBy: marker)
        let head = parts.first ?? "", tail = parts.count > 1 ? parts[1] : ""
        let response = Response(status: .ok, headers: frame.headers)
        response.body = .init(managedAsyncStream: { writer in
            // The import runs (and is audited) whether or not the browser stays to watch; the
            // uploaded files are removed once it has finished.
            let (lines, continuation) = AsyncStream.makeStream(of: String.self)
            let importer = BundleImporter(progress: { progress in
                continuation.yield("<li>\(SVG.escape(progress.file)): \(progress.rows.formatted()) row\(progress.rows == 1 ? "" : "s")\(progress.finished ? " ✓" : "…")</li>")
            })
            let task = Task { () -> Result<ImportSummary, any Error> in
                defer {
                    continuation.finish()
                    try? FileManager.default.removeItem(at: folder)
                }
                do {
                    let summary = try await importer.importBundle(from: folder, into: database, workspace: workspace)
                    try? await accounts.audit("import", actor: actor, target: nil, detail: "\(summary.totalRows) rows from \(names) (web)",
                                              address: address, now: Accounts.now())
                    return .success(summary)
                } catch {
                    return .failure(error)
                }
            }
            do {
                try await writer.writeBuffer(ByteBuffer(string: head + "<ol class=\"progress\" aria-live=\"polite\">"))
                for await line in lines { try await writer.writeBuffer(ByteBuffer(string: line)) }
            } catch {
                _ = await task.value  // the browser left: the import still finishes
                throw error
            }
            var result = "</ol>"
            switch await task.value {
            case .success(let summary):
                result += "<p class=\"notice\" role=\"status\">Imported \(summary.totalRows.formatted()) rows in \(String(format: "%.1f", summary.seconds)) s: "
                    + SVG.escape(summary.rows.map { "\($0.file) \($0.count)" }.joined(separator: ", ")) + ".</p>"
                result += warnings(summary.warnings)
            case .failure(let rejected as BundleRejected):
                result += "<div class=\"panel warn\" role=\"alert\"><h2>Nothing was imported: \(rejected.errors.total) problem\(rejected.errors.total == 1 ? "" : "s")</h2><ul class=\"issues\">"
                    + rejected.errors.issues.map { "<li><code>\(SVG.escape($0.description))</code></li>" }.joined()
                    + (rejected.errors.omitted > 0 ? "<li>and \(rejected.errors.omitted) more</li>" : "") + "</ul></div>" + warnings(rejected.warnings)
            case .failure(let error):
                req.logger.report(error: error)
                result += "<div class=\"panel warn\" role=\"alert\"><h2>Nothing was imported</h2><p>\(SVG.escape(String(describing: error)))</p></div>"
            }
            try await writer.writeBuffer(ByteBuffer(string: result + "<p><a href=\"/import\">Import another</a> · <a href=\"/\">Dashboard</a></p>" + tail))
        })
        return response
    }

    static let marker = "<!--tandem-import-stream-->"

    static func warnings(_ warnings: [BundleIssue]) -> String {
        warnings.isEmpty ? "" : "<p>Warnings:</p><ul>" + warnings.map { "<li>\(SVG.escape($0.description))</li>" }.joined() + "</ul>"
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
                let target = folder.appendingPathComponent(name)
                guard !FileManager.default.fileExists(atPath: target.path) else {
                    throw Abort(.badRequest, reason: "\(name) was given twice; a bundle has each file once.")
                }
                try Data(buffer: file.data).write(to: target)
            } else {
                throw Abort(.unsupportedMediaType, reason: "\(name) is neither a .zip nor a .csv file.")
            }
        }
    }
}

struct WorkspaceNameKey: StorageKey {
    typealias Value = String
}

extension Application {
    /// The name of the workspace this server process serves.
    var workspaceName: String {
        get throws {
            guard let name = storage[WorkspaceNameKey.self] else { throw Abort(.internalServerError, reason: "no workspace configured") }
            return name
        }
    }
}
