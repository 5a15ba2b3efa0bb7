import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `tandem serve` on SIGTERM: it stops accepting connections, answers the requests already in
/// flight, and exits 0. Runs the real server (needs `TANDEM_PROCESS_TESTS=1`, as CI sets).
@Suite(.enabled(if: processTestsEnabled, "set TANDEM_PROCESS_TESTS=1 to run the tests that start tandem processes"))
struct ShutdownTests {
    /// A plain TCP connection to the server, to send a request in pieces.
    final class Connection {
        let socket: Int32

        init?(port: Int) {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if connected != 0 {
                close(socket)
                return nil
            }
            // A server that never answers fails the test instead of hanging it.
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// A port nothing listens on now: the system's choice for a socket bound to port 0.
        static func freePort() -> Int {
            let probe = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(probe) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    Glibc.bind(probe, pointer, length) == 0 ? getsockname(probe, pointer, &length) : -1
                }
            }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(socket) }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// Everything the server sends until it closes the connection.
        func receiveAll() -> String {
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                data += buffer[0..<count]
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    @Test func sigtermFinishesTheRequestInFlightRefusesNewOnesAndExitsCleanly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("t.sqlite").path
        let port = Connection.freePort()
        let server = try ChildProcess(["serve", "--db", database, "--port", String(port)])
        defer { if server.process.isRunning { server.send(SIGKILL) } }
        #expect(try await server.waitFor("Server started"), "\(server.text)")
        // The server has made the workspace; a user of it, with a token.
        try await ChildProcess.run(["user", "add", "--db", database, "--email", "admin@test.example", "--role", "admin"], input: "a-long-password-1\n")
        let token = try #require(try await ChildProcess.run(["token", "create", "--db", database, "--email", "admin@test.example"])
            .split(separator: "\n").last { !$0.hasPrefix("token ") }.map(String.init))

        // A request in flight: its head and half its body sent, the rest after the signal.
        let body = #"{"code":"DE","name":"Germany","country":"DE"}"#
        let inFlight = try #require(Connection(port: port))
        inFlight.send("POST /api/v1/territories HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                      + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(10))
        try await Task.sleep(for: .milliseconds(300))
        server.send(SIGTERM)
        #expect(try await server.waitFor("stopping: finishing the requests in flight", seconds: 30), "\(server.text)")
        // The listener closes right after that line.
        var refused = false
        for _ in 0..<100 where !refused {
            refused = Connection(port: port) == nil
            if !refused { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(refused, "new connections are refused once SIGTERM has come")
        #expect(server.process.isRunning, "the server waits for the request in flight")
        inFlight.send(String(body.dropFirst(10)))
        let answer = inFlight.receiveAll()
        #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer)")
        #expect(answer.lowercased().contains("connection: close"), "\(answer)")

        let (status, signalled) = try await server.finish(seconds: 30)
        #expect(status == 0 && !signalled, "\(server.text)")
        // What the request wrote is there.
        try await ChildProcess.run(["export", "--db", database, folder.appendingPathComponent("out").path])
        let exported = try String(contentsOf: folder.appendingPathComponent("out/territories.csv"), encoding: .utf8)
        #expect(exported.contains("DE,Germany"), "\(exported)")
    }
}
