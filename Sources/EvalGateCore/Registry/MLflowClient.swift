import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Anything that goes wrong talking to MLflow, as one sentence. Never holds
/// a token or a password: requests are described by method and path only.
package struct MLflowError: Error, CustomStringConvertible, Sendable {
    package var message: String
    /// MLflow's `error_code` (RESOURCE_DOES_NOT_EXIST, ...), when it answered one.
    package var code: String?
    package init(_ message: String, code: String? = nil) {
        self.message = message
        self.code = code
    }
    package var description: String { message }
    package var isNotFound: Bool { code == "RESOURCE_DOES_NOT_EXIST" }
}

/// MLflow's REST API (2.x and 3.x servers): JSON over HTTP with the
/// authentication MLflow's own clients take from the environment.
package final class MLflowClient: @unchecked Sendable {
    /// The server as shown in messages: scheme, host, port and path, never
    /// a user or password.
    package let server: String
    private let base: String
    private let client: HTTPClient
    private var headers = HTTPHeaders()
    private let timeout: TimeAmount

    /// `uri` is the tracking server (`http://host:5000`); `timeout` bounds
    /// every request, in seconds.
    package init(_ uri: String, environment: [String: String], timeout: Double = 30) throws(MLflowError) {
        guard var parts = URLComponents(string: uri), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", parts.host?.isEmpty == false
        else {
            throw MLflowError(
                "the MLflow URI must be http://HOST[:PORT] or https://..., got '\(Self.withoutSecrets(uri))'")
        }
        var user = parts.user.map { $0.removingPercentEncoding ?? $0 }
        var password = parts.password.map { $0.removingPercentEncoding ?? $0 }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        var shown = parts.string ?? uri
        while shown.hasSuffix("/") { shown.removeLast() }
        server = shown
        base = shown
        self.timeout = .milliseconds(Int64(timeout * 1000))
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            headers.add(name: "Authorization", value: "Bearer \(token)")
        } else {
            user = user ?? environment["MLFLOW_TRACKING_USERNAME"]
            password = password ?? environment["MLFLOW_TRACKING_PASSWORD"]
            if let user, let password {
                headers.add(
                    name: "Authorization", value: "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())")
            }
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if ["true", "1", "yes"].contains(environment["MLFLOW_TRACKING_INSECURE_TLS"]?.lowercased() ?? "") {
            tls.certificateVerification = .none
        }
        if let certificate = environment["MLFLOW_TRACKING_SERVER_CERT_PATH"], !certificate.isEmpty {
            tls.trustRoots = .file(certificate)
        }
        client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(
                tlsConfiguration: tls, timeout: .init(connect: self.timeout, read: self.timeout)))
    }

    deinit { try? client.syncShutdown() }

    /// "https://user:secret@host" as "https://host".
    static func withoutSecrets(_ uri: String) -> String {
        guard var parts = URLComponents(string: uri), parts.user != nil || parts.password != nil else { return uri }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "the given URI"
    }

    // MARK: - Requests

    /// A JSON request to `/api/2.0/mlflow/PATH`; the decoded answer.
    @discardableResult
    package func call(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: [String: Any]? = nil
    ) throws(MLflowError) -> [String: Any] {
        let data = body.map { Data(Self.json($0).utf8) }
        let answer = try send(method, "/api/2.0/mlflow/\(path)", query: query, body: data, type: "application/json")
        guard !answer.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
            throw MLflowError("MLflow at \(server) answered \(method) \(path) with something that is not JSON")
        }
        return object
    }

    /// A JSON GET decoded into `T` (JSONDecoder reads doubles exactly, which
    /// Foundation's JSONSerialization on Linux does not).
    package func get<T: Decodable>(_ path: String, query: [(String, String)], as type: T.Type) throws(MLflowError) -> T
    {
        let answer = try send(.GET, "/api/2.0/mlflow/\(path)", query: query, body: nil, type: nil)
        do { return try JSONDecoder().decode(T.self, from: answer) } catch {
            throw MLflowError("MLflow at \(server) answered GET \(path) with JSON evalgate cannot read: \(error)")
        }
    }

    /// Uploads bytes to the server's artifact proxy (`--serve-artifacts`).
    package func upload(_ bytes: Data, to artifactPath: String) throws(MLflowError) {
        try send(
            .PUT, "/api/2.0/mlflow-artifacts/artifacts/\(Self.encodePath(artifactPath))", query: [], body: bytes,
            type: "application/octet-stream")
    }

    /// Downloads an artifact through the proxy.
    package func download(_ artifactPath: String) throws(MLflowError) -> Data {
        try send(
            .GET, "/api/2.0/mlflow-artifacts/artifacts/\(Self.encodePath(artifactPath))", query: [], body: nil,
            type: nil)
    }

    /// JSON with every double in its shortest round-trip form (Foundation's
    /// encoder on Linux rounds to 15 digits, and a metric must reach MLflow
    /// exactly as report.json has it) and integers as integers.
    static func json(_ value: Any) -> String {
        switch value {
        case let text as String: return JSONValue.string(text).rendered()
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int: return "\(number)"
        case let number as Int64: return "\(number)"
        case let number as Double: return number.isFinite ? formatNumber(number) : "null"
        case let items as [Any]: return "[" + items.map(json).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{"
                + object.keys.sorted().map { JSONValue.string($0).rendered() + ":" + json(object[$0]!) }
                .joined(separator: ",") + "}"
        default: return "null"
        }
    }

    static func encodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? String($0)
        }.joined(separator: "/")
    }

    @discardableResult
    private func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)], body: Data?, type: String?
    ) throws(MLflowError) -> Data {
        var url = base + path
        if !query.isEmpty {
            var parts = URLComponents()
            parts.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            url += "?" + (parts.percentEncodedQuery ?? "")
        }
        var requestHeaders = headers
        if let type { requestHeaders.add(name: "Content-Type", value: type) }
        let response: HTTPClient.Response
        do {
            let request = try HTTPClient.Request(
                url: url, method: method, headers: requestHeaders, body: body.map { .bytes($0) })
            response = try client.execute(request: request, deadline: .now() + timeout).wait()
        } catch {
            throw MLflowError("cannot reach MLflow at \(server) (\(method) \(path)): \(Self.describe(error))")
        }
        let bytes = response.body.map { Data($0.readableBytesView) } ?? Data()
        guard (200..<300).contains(response.status.code) else {
            let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]
            let code = object?["error_code"] as? String
            let message = (object?["message"] as? String).map { excerpt($0) } ?? response.status.reasonPhrase
            throw MLflowError(
                "MLflow at \(server) refused \(method) \(path): \(response.status.code) \(code ?? "") \(message)"
                    .replacingOccurrences(of: "  ", with: " "),
                code: code)
        }
        return bytes
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no answer within the timeout"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }
}
