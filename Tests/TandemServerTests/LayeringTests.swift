import Foundation
import Testing

/// The faces (the server with its pages, the command line) reach the data only through the
/// workspace layer: they neither depend on the store in Package.swift nor import it or a database
/// library, so a page that runs SQL or a controller that loads snapshots does not build. (SwiftPM
/// on Linux lets a target import any module of the build, whatever it declares, so this is checked
/// here.)
@Suite struct LayeringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Modules only the store and the workspace layer may import.
    static let storage: Set<String> = ["TandemStore", "Fluent", "FluentKit", "FluentSQLiteDriver", "FluentPostgresDriver", "SQLKit",
                                       "SQLiteKit", "PostgresKit", "SQLiteNIO", "PostgresNIO"]

    static func imports(under folder: String) throws -> [(file: String, module: String)] {
        let base = root.appendingPathComponent(folder)
        guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String)] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                found.append((url.lastPathComponent, String(words[index + 1])))
            }
        }
        return found
    }

    @Test(arguments: ["Sources/TandemServer", "Sources/tandem"])
    func facesImportNoStorage(_ folder: String) throws {
        let imports = try Self.imports(under: folder)
        #expect(!imports.isEmpty, "no sources found under \(folder)")
        let offending = imports.filter { Self.storage.contains($0.module) }.map { "\($0.file) imports \($0.module)" }
        #expect(offending.isEmpty, "\(offending)")
        #expect(imports.contains { $0.module == "TandemWorkspace" })
    }

    @Test func facesDoNotDependOnTheStoreInThePackage() throws {
        let package = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for target in ["TandemServer", "tandem"] {
            let declaration = try #require(package.range(of: "name: \"\(target)\",\n            dependencies: ["), "no target \(target)")
            let rest = package[declaration.upperBound...]
            let dependencies = rest[..<(rest.range(of: "\n            ]")?.lowerBound ?? rest.endIndex)]
            #expect(dependencies.contains("\"TandemWorkspace\""), "\(target) does not depend on TandemWorkspace")
            for module in Self.storage {
                #expect(!dependencies.contains("\"\(module)\""), "\(target) depends on \(module)")
            }
        }
    }

    @Test func theStoreAndTheWorkspaceLayerNeverImportAFace() throws {
        for folder in ["Sources/TandemStore", "Sources/TandemWorkspace", "Sources/TandemCore"] {
            let faces = try Self.imports(under: folder).filter { ["TandemServer", "Vapor", "ArgumentParser", "Plot"].contains($0.module) }
            #expect(faces.isEmpty, "\(folder): \(faces.map { "\($0.file) imports \($0.module)" })")
        }
    }
}
