import BiomechCore
import Foundation
import Hummingbird

/// An error the service answers with: an HTTP status and a JSON body `{"error": {"code", "message"}}`.
public struct ServiceError: Error, Sendable, Equatable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// A stable machine name (`too_large`, `queue_full`, ...): docs/SERVE.md lists them.
    public var code: String
    /// What went wrong and what to do, for a person.
    public var message: String
    /// Seconds a client should wait before trying again (429 and 503).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The JSON body clients read.
    struct Body: Codable {
        struct Detail: Codable { var code: String, message: String, status: Int }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"biomech-serve\"" }
        let body = Body(error: .init(code: code, message: message, status: Int(status.code)))
        let data = try JSONOutput.encoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ code: String, _ message: String) -> ServiceError { ServiceError(.badRequest, code, message) }
    static func notFound(_ message: String) -> ServiceError { ServiceError(.notFound, "not_found", message) }
    static func tooLarge(_ message: String) -> ServiceError { ServiceError(.contentTooLarge, "too_large", message) }
    static func notVideo(_ message: String) -> ServiceError { ServiceError(.unsupportedMediaType, "not_a_video", message) }
    static func unprocessable(_ code: String, _ message: String) -> ServiceError { ServiceError(.unprocessableContent, code, message) }
    static func deadline(_ message: String) -> ServiceError { ServiceError(.gatewayTimeout, "deadline", message) }
    static func `internal`(_ message: String) -> ServiceError { ServiceError(.internalServerError, "internal", message) }
}
