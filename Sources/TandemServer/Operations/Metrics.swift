import Foundation
import Metrics
import Prometheus
import TandemWorkspace
import Vapor

/// The process's metrics in Prometheus' text format, for `GET /metrics`.
///
/// swift-metrics takes its backend once per process, so every application of the process (the
/// tests make many) shares this registry. What is counted and where:
/// - requests: Vapor's responder, by method, route and status (`http_requests_total`,
///   `http_request_duration_seconds`, `http_request_errors_total`);
/// - imports: `BundleImporter` (`tandem_imports_total`, `tandem_import_rows_total`,
///   `tandem_import_duration_seconds`, by result);
/// - the assessment: `AssessmentMetrics` (`tandem_assessment_duration_seconds` by phase);
/// - the database pool: `DatabasePoolMetrics` (`tandem_db_connections_in_use`, `tandem_db_connections_max`).
public enum TandemMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let long: [Duration] = [.milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                                .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(900)]
        factory.durationHistogramBuckets["tandem_import_duration_seconds"] = long
        factory.durationHistogramBuckets["tandem_assessment_duration_seconds"] = [.milliseconds(1)] + long
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Chooses the Prometheus backend for this process, once; later calls do nothing.
    public static func bootstrap() { _ = registry }

    static func exposition() -> Response {
        var body = ByteBuffer()
        body.writeBytes(registry.emitToBuffer())
        return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                        body: .init(buffer: body))
    }
}

/// How long the server's assessment takes: loading the workspace, assessing it in full, folding one
/// new interaction in.
enum AssessmentMetrics {
    enum Phase: String {
        case load, full, incremental
    }

    static func duration(_ phase: Phase) -> Metrics.Timer {
        Metrics.Timer(label: "tandem_assessment_duration_seconds", dimensions: [("phase", phase.rawValue)])
    }
}
