import Foundation
import Hummingbird
import Logging

/// Outermost: turns every error into a JSON answer, logs one line per request, counts it in the metrics.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let logger: Logger
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ProcessInfo.processInfo.systemUptime
        var response: Response
        var code: String?
        do {
            response = try await next(request, context)
        } catch {
            let failure = Self.serviceError(error)
            code = failure.code
            if failure.status.code >= 400, failure.status.code != 404 || failure.code != "no_route" { metrics.reject(failure.code) }
            response = try failure.response(from: request, context: context)
        }
        let seconds = ProcessInfo.processInfo.systemUptime - start
        let route = Self.route(request.uri.path)
        metrics.request(route: route, method: request.method.rawValue, status: Int(response.status.code), seconds: seconds)
        response.headers[.init("X-Request-Id")!] = context.id
        var metadata: Logger.Metadata = [
            "id": "\(context.id)", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
            "ms": "\(Int(seconds * 1000))",
        ]
        if let code { metadata["error"] = "\(code)" }
        if let length = request.headers[.contentLength] { metadata["bytes_in"] = "\(length)" }
        logger.info("request", metadata: metadata)
        return response
    }

    /// Any error as the service's JSON error: Hummingbird's own (an unknown route, a bad method) keep their status.
    static func serviceError(_ error: any Error) -> ServiceError {
        switch error {
        case let error as ServiceError: return error
        case let error as HTTPError:
            if error.status == .notFound { return ServiceError(.notFound, "no_route", "no such endpoint; GET /openapi.json lists them") }
            return ServiceError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        case is CancellationError: return ServiceError(.serviceUnavailable, "cancelled", "the request was cancelled")
        default: return .internal("\(error)")
        }
    }

    /// The route pattern of `path`, for metric labels: job ids become `{id}` so series stay few.
    static func route(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let known: Set<String> = ["/healthz", "/version", "/metrics", "/openapi.json", "/analyze-form", "/jobs"]
        if parts.count >= 2, parts[0] == "jobs" {
            let tail = parts.dropFirst(2).joined(separator: "/")
            let route = "/jobs/{id}" + (tail.isEmpty ? "" : "/" + tail)
            return ["/jobs/{id}", "/jobs/{id}/report.json", "/jobs/{id}/annotated.mp4", "/jobs/{id}/summary.png"].contains(route) ? route : "other"
        }
        return known.contains(path) ? path : "other"
    }
}

/// Refuses requests without a key from `--api-key-file` (401); health, metrics, version and the document stay open.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let keys: APIKeys
    static let open: Set<String> = ["/healthz", "/metrics", "/version", "/openapi.json"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.open.contains(request.uri.path) else { return try await next(request, context) }
        guard let key = APIKeys.presented(authorization: request.headers[.authorization], apiKey: request.headers[.init("X-API-Key")!]),
              !key.isEmpty else {
            throw ServiceError(.unauthorized, "missing_api_key", "this service needs an API key: send Authorization: Bearer KEY (or X-API-Key: KEY)")
        }
        guard keys.allows(key) else { throw ServiceError(.unauthorized, "wrong_api_key", "the API key is not one this service accepts") }
        return try await next(request, context)
    }
}
