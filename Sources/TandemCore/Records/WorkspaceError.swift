public enum WorkspaceError: Error, CustomStringConvertible {
    case invalidName(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "\"\(name)\" is not a usable workspace name"
        case .notFound(let name): "no workspace named \"\(name)\""
        }
    }
}
