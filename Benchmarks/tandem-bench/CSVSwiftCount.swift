import CSV
import Foundation

/// Records in a CSV file as read by CSV.swift, the baseline of `tandem-bench csv`.
/// Kept apart because CSV.swift's `CSVReader` shares its name with Tandem's.
func countRecordsWithCSVSwift(path: String) throws -> Int {
    guard let stream = InputStream(fileAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
    let reader = try CSVReader(stream: stream)
    var count = 0
    while reader.next() != nil { count += 1 }
    // On Linux, Foundation's InputStream reports bytes available at the end of the file, so
    // CSV.swift ends every file with `cannotReadFile` after the last record. The caller checks
    // that both parsers saw the same number of records.
    if let error = reader.error, !(error is CSVError && "\(error)" == "cannotReadFile") { throw error }
    return count
}
