/// A write waited longer than the pool's patience for the workspace's other writes (an import,
/// say) to finish, or the database itself stayed locked. Worth sending again.
public struct DatabaseBusy: Error, CustomStringConvertible {
    public init() {}

    public var description: String {
        "the workspace is busy with other writes (an import, say) and the request was not completed; send it again in a moment"
    }
}
