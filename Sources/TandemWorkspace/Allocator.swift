import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings, which Swift's Glibc module leaves out (malloc.h): found at run time.
public enum Allocator {
    /// Keeps the allocator to two arenas: glibc gives each thread that allocates one of its own,
    /// up to eight per core, and each keeps what was freed in it, so a server answering on many
    /// threads would hold several copies of its peak. Call before the server starts its threads.
    public static func limitArenas() {
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = function("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)?(arenaMax, 2)
    }

    /// Hands freed memory back to the system (after a full assessment, the workspace it replaced
    /// and what it worked in): the allocator would otherwise keep the process at its peak.
    public static func releaseFreed() {
        _ = function("malloc_trim", as: (@convention(c) (Int) -> Int32).self)?(0)
    }

    private static func function<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Glibc)
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
        #else
        nil
        #endif
    }
}
